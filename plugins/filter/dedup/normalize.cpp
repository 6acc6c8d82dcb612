#include "normalize.h"

#include <cstdint>

namespace forge::dedup {

std::string normalize(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = true;  // no leading space
  for (unsigned char c : text) {
    // ASCII letters fold to lower case; ASCII punctuation and whitespace become one space.
    // Other bytes (UTF-8 sequences) stay as they are.
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
    const bool separator =
        c <= ' ' || (c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')));
    if (separator) {
      if (!space) out += ' ';
      space = true;
    } else {
      out += static_cast<char>(c);
      space = false;
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::vector<std::string_view> words(std::string_view normalized) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start < normalized.size()) {
    std::size_t end = normalized.find(' ', start);
    if (end == std::string_view::npos) end = normalized.size();
    if (end > start) out.push_back(normalized.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::uint64_t hash64(std::string_view bytes, std::uint64_t seed) {
  std::uint64_t h = 0xcbf29ce484222325ULL ^ seed;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  return h ^ (h >> 33);
}

}  // namespace forge::dedup
