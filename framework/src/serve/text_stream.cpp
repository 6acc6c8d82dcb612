#include "serve/text_stream.h"

#include <algorithm>

namespace forge::serve {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// Bytes a sequence starting with `lead` has, or 0 when `lead` cannot start one.
std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

// Whether the continuation byte at position `k` of a sequence led by `lead` is allowed
// (excluding overlong forms, surrogates and code points above U+10FFFF).
bool continuation_ok(unsigned char lead, std::size_t k, unsigned char byte) {
  if ((byte & 0xC0) != 0x80) return false;
  if (k != 1) return true;
  if (lead == 0xE0) return byte >= 0xA0;
  if (lead == 0xED) return byte <= 0x9F;
  if (lead == 0xF0) return byte >= 0x90;
  if (lead == 0xF4) return byte <= 0x8F;
  return true;
}

}  // namespace

std::string take_utf8(std::string_view bytes, bool final, std::string& rest) {
  std::string out;
  rest.clear();
  std::size_t i = 0;
  while (i < bytes.size()) {
    const auto lead = static_cast<unsigned char>(bytes[i]);
    const std::size_t length = sequence_length(lead);
    if (length == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    std::size_t k = 1;
    while (k < length && i + k < bytes.size() &&
           continuation_ok(lead, k, static_cast<unsigned char>(bytes[i + k])))
      ++k;
    if (k == length) {
      out.append(bytes.substr(i, length));
      i += length;
    } else if (i + k == bytes.size() && !final) {
      rest.assign(bytes.substr(i));  // may still complete with the next token
      break;
    } else {
      out += kReplacement;  // a malformed sequence counts as one replaced character
      i += k;
    }
  }
  return out;
}

TextStream::TextStream(std::vector<std::string> stop) : stop_(std::move(stop)) {
  std::erase_if(stop_, [](const std::string& s) { return s.empty(); });
}

std::string TextStream::push(std::string_view bytes) {
  if (stopped_) return "";
  std::string joined = bytes_ + std::string(bytes);
  std::string complete = take_utf8(joined, false, bytes_);
  return release(held_ + complete, false);
}

std::string TextStream::finish() {
  if (stopped_) return "";
  std::string rest;
  std::string complete = take_utf8(bytes_, true, rest);
  bytes_.clear();
  return release(held_ + complete, true);
}

std::string TextStream::release(std::string candidate, bool final) {
  held_.clear();
  std::size_t first_stop = std::string::npos;
  for (const std::string& s : stop_) first_stop = std::min(first_stop, candidate.find(s));
  if (first_stop != std::string::npos) {
    stopped_ = true;
    candidate.resize(first_stop);
  } else if (!final) {
    // Hold the longest tail that a stop sequence starts with.
    std::size_t keep = 0;
    for (const std::string& s : stop_)
      for (std::size_t n = std::min(s.size() - 1, candidate.size()); n > keep; --n)
        if (candidate.compare(candidate.size() - n, n, s, 0, n) == 0) {
          keep = n;
          break;
        }
    held_ = candidate.substr(candidate.size() - keep);
    candidate.resize(candidate.size() - keep);
  }
  text_ += candidate;
  return candidate;
}

}  // namespace forge::serve
