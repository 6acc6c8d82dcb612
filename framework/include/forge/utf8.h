#pragma once

// UTF-8 helpers every text plugin needs: strict validation (for repairing input), lenient
// decoding (for counting and classifying text known to be mostly valid), code point counts.
// Header-only, so plugins call them without crossing the library boundary.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace forge {

inline constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

// The length of the well-formed sequence at p (`left` bytes remain), or 0: then `skip` is the
// length of the maximal ill-formed subpart there, and `incomplete` says the input ended inside
// a valid beginning.
inline std::size_t utf8_sequence(const unsigned char* p, std::size_t left, std::size_t& skip,
                                 bool& incomplete) {
  const unsigned char lead = p[0];
  if (lead < 0x80) return 1;
  std::size_t need = 0;
  unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    need = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    need = 3;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    need = 4;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // past U+10FFFF
  } else {
    skip = 1;
    return 0;
  }
  for (std::size_t k = 1; k < need; ++k) {
    if (k >= left) {
      skip = k;
      incomplete = true;
      return 0;
    }
    if (p[k] < low || p[k] > high) {
      skip = k;
      return 0;
    }
    low = 0x80;
    high = 0xBF;
  }
  return need;
}

// The length of the longest prefix of `text` that is valid UTF-8 (ASCII eight bytes at a time).
inline std::size_t valid_utf8_prefix(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      std::uint64_t word;
      std::memcpy(&word, p + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    std::size_t skip = 0;
    bool incomplete = false;
    const std::size_t length = utf8_sequence(p + i, n - i, skip, incomplete);
    if (length == 0) return i;
    i += length;
  }
  return n;
}

// `text` with each maximal ill-formed subsequence replaced by U+FFFD, as Unicode recommends;
// with `cut`, an incomplete character at the very end is dropped instead.
inline std::string repair_utf8(std::string&& text, bool cut = false) {
  std::size_t i = valid_utf8_prefix(text);
  if (i == text.size()) return std::move(text);
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::string out;
  out.reserve(n + 64);
  out.append(text, 0, i);
  while (i < n) {
    std::size_t skip = 0;
    bool incomplete = false;
    const std::size_t length = utf8_sequence(p + i, n - i, skip, incomplete);
    if (length > 0) {
      out.append(text, i, length);
      i += length;
      continue;
    }
    if (incomplete && cut) break;
    out.append(kReplacementCharacter);
    i += skip;
  }
  return out;
}

// The code point at text[i] and its length in bytes; an ill-formed byte reads as itself.
inline char32_t decode_utf8(std::string_view text, std::size_t i, std::size_t& length) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  length = lead < 0x80 || lead >= 0xF8 ? 1
           : lead >= 0xF0              ? 4
           : lead >= 0xE0              ? 3
           : lead >= 0xC0              ? 2
                                       : 1;
  if (i + length > text.size()) length = 1;
  if (length == 1) return lead;
  char32_t value = lead & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      length = 1;
      return lead;
    }
    value = (value << 6) | (byte(i + k) & 0x3F);
  }
  return value;
}

// Code points in `text`: the bytes that do not continue a sequence.
inline std::size_t count_code_points(std::string_view text) {
  std::size_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

}  // namespace forge
