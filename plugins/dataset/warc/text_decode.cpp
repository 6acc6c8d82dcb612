#include "text_decode.h"

#include <forge/utf8.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <unordered_map>

#include <iconv.h>

namespace forge::warc {
namespace {

constexpr std::string_view kReplacement = kReplacementCharacter;

// windows-1252's 0x80-0x9F; the five bytes it leaves undefined map to C1 controls, as in browsers.
constexpr char16_t kWindows1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

bool ascii_word(const unsigned char* p) {
  std::uint64_t word;
  std::memcpy(&word, p, 8);
  return (word & 0x8080808080808080ULL) == 0;
}

void append_utf8(std::string& out, char32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// iconv_open's failure value is (iconv_t)-1.
bool usable(iconv_t converter) { return reinterpret_cast<std::intptr_t>(converter) != -1; }

struct ConverterCache {
  std::unordered_map<std::string, iconv_t> open;
  ~ConverterCache() {
    for (auto& [name, converter] : open)
      if (usable(converter)) iconv_close(converter);
  }
};

// iconv_open reads gconv modules and allocates; one converter per charset and thread is plenty.
iconv_t converter(const std::string& name) {
  thread_local ConverterCache cache;
  auto found = cache.open.find(name);
  if (found == cache.open.end())
    found = cache.open.emplace(name, iconv_open("UTF-8", name.c_str())).first;
  return found->second;
}

}  // namespace

std::string decode_windows_1252(std::string&& bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  std::size_t i = 0;
  while (i + 8 <= n && ascii_word(p + i)) i += 8;
  while (i < n && p[i] < 0x80) ++i;
  if (i == n) return std::move(bytes);
  std::string out;
  out.reserve(n + n / 2);
  out.append(bytes, 0, i);
  for (; i < n; ++i) {
    const unsigned char byte = p[i];
    if (byte < 0x80) {
      out += static_cast<char>(byte);
    } else {
      append_utf8(out, byte < 0xA0 ? kWindows1252High[byte - 0x80] : char32_t{byte});
    }
  }
  return out;
}

bool iconv_available(const std::string& name) { return usable(converter(name)); }

bool decode_with_iconv(const std::string& name, std::string_view bytes, bool cut,
                       std::string& out) {
  iconv_t cd = converter(name);
  if (!usable(cd)) return false;
  iconv(cd, nullptr, nullptr, nullptr, nullptr);  // a clean shift state for stateful charsets
  out.resize(bytes.size() + bytes.size() / 2 + 64);
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  std::size_t written = 0;
  bool flushing = false;  // all input is read; only the shift state's reset is left to write
  for (;;) {
    if (out.size() - written < 16) out.resize(out.size() * 2);
    char* to = out.data() + written;
    std::size_t to_left = out.size() - written;
    const std::size_t result = flushing ? iconv(cd, nullptr, nullptr, &to, &to_left)
                                        : iconv(cd, &in, &in_left, &to, &to_left);
    const int error = errno;
    written = static_cast<std::size_t>(to - out.data());
    if (result != static_cast<std::size_t>(-1)) {
      if (flushing) break;
      flushing = true;
    } else if (error == E2BIG) {
      out.resize(out.size() * 2);
    } else if (flushing) {
      break;
    } else if (error == EILSEQ && in_left > 0) {
      out.replace(written, kReplacement.size(), kReplacement);
      written += kReplacement.size();
      ++in;
      --in_left;
    } else {
      // EINVAL: the input ends inside a character.
      if (!cut) {
        out.replace(written, kReplacement.size(), kReplacement);
        written += kReplacement.size();
      }
      flushing = true;
    }
  }
  out.resize(written);
  return true;
}

}  // namespace forge::warc
