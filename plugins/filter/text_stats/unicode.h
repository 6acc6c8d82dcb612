#pragma once

// Code points and the character classes the quality filters share (UTF-8 in, no ICU).

#include <cstddef>
#include <string>
#include <string_view>

namespace forge::text {

// The code point at text[i] and its length in bytes; an ill-formed byte reads as itself.
inline char32_t decode(std::string_view text, std::size_t i, std::size_t& length) {
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

// The code point that ends at text[end - 1], and where it starts.
char32_t decode_before(std::string_view text, std::size_t end, std::size_t& start);

// Python's len(): every byte that does not continue a UTF-8 sequence starts a code point.
inline std::size_t count_code_points(std::string_view text) {
  std::size_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

// Python's str.isspace(): Unicode White_Space plus the separators U+001C..U+001F.
inline bool is_space(char32_t c) {
  if (c < 0x80) return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20);
  return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
         c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

// Python's str.isalpha(), approximated: ASCII letters, and any other code point outside the
// punctuation, symbol, digit, mark and private-use blocks.
bool is_alpha(char32_t c);

// Punctuation and symbols as datatrove's PUNCTUATION_SET has them (ASCII punctuation, control
// characters, common Unicode quotes, dashes and CJK punctuation, sentence terminals).
bool is_punctuation(char32_t c);

// Unicode's Sentence_Terminal property (. ! ? and their counterparts in other scripts).
bool is_sentence_terminal(char32_t c);

// Python's str.strip(), lstrip() and rstrip() with no arguments.
std::string_view strip_left(std::string_view text);
std::string_view strip_right(std::string_view text);
inline std::string_view strip(std::string_view text) { return strip_left(strip_right(text)); }

// `text` with ASCII letters lowered, written over `out` (other bytes are copied as they are).
void lower_ascii(std::string_view text, std::string& out);

}  // namespace forge::text
