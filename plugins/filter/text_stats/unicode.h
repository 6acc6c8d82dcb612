#pragma once

// Code points and the character classes the quality filters share (UTF-8 in, no ICU).

#include <forge/utf8.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace forge::text {

// Decoding and counting are the SDK's (forge/utf8.h).
using forge::count_code_points;
inline char32_t decode(std::string_view text, std::size_t i, std::size_t& length) {
  return decode_utf8(text, i, length);
}

// The code point that ends at text[end - 1], and where it starts.
char32_t decode_before(std::string_view text, std::size_t end, std::size_t& start);

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
