#pragma once

#include <forge/export.h>

#include <array>
#include <cstdint>
#include <vector>

namespace forge::bpe {

// Character class bits, as the pre-tokenizer patterns use them. A code point with none of
// kLetter, kNumber and kSpace is "other" ([^\s\p{L}\p{N}]); marks are other too.
inline constexpr std::uint8_t kLetter = 1 << 0;  // \p{L}
inline constexpr std::uint8_t kUpper = 1 << 1;   // o200k's [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]
inline constexpr std::uint8_t kLower = 1 << 2;   // o200k's [\p{Ll}\p{Lm}\p{Lo}\p{M}]
inline constexpr std::uint8_t kMark = 1 << 3;    // \p{M}
inline constexpr std::uint8_t kNumber = 1 << 4;  // \p{N}
inline constexpr std::uint8_t kSpace = 1 << 5;   // \s: the White_Space property
inline constexpr std::uint8_t kCr = 1 << 6;      // \r
inline constexpr std::uint8_t kLf = 1 << 7;      // \n

// Pseudo code points for bytes that do not start a well-formed UTF-8 sequence: one per byte,
// class "other", so that any byte string splits deterministically and losslessly.
inline constexpr char32_t kCodeSpaceEnd = 0x110000;
inline constexpr char32_t kInvalidByteBase = kCodeSpaceEnd;

namespace detail {
constexpr std::array<std::uint8_t, 128> ascii_classes() {
  std::array<std::uint8_t, 128> classes{};
  for (int c = 'A'; c <= 'Z'; ++c) classes[c] = kLetter | kUpper;
  for (int c = 'a'; c <= 'z'; ++c) classes[c] = kLetter | kLower;
  for (int c = '0'; c <= '9'; ++c) classes[c] = kNumber;
  for (int c : {'\t', '\n', '\v', '\f', '\r', ' '}) classes[c] = kSpace;
  classes['\r'] |= kCr;
  classes['\n'] |= kLf;
  return classes;
}
}  // namespace detail

inline constexpr std::array<std::uint8_t, 128> kAsciiClasses = detail::ascii_classes();

// Classes of all code points in two levels: blocks of 256 code points, deduplicated (Unicode
// 15 needs 134 distinct ones, about 38 KiB in all). Built once from unicode_tables.cpp.
class ClassTable {
 public:
  static constexpr int kShift = 8;
  ClassTable();
  std::uint8_t lookup(char32_t cp) const {
    if (cp >= kCodeSpaceEnd) return 0;
    return blocks_[(std::size_t{index_[cp >> kShift]} << kShift) | (cp & ((1u << kShift) - 1))];
  }

 private:
  std::array<std::uint8_t, (kCodeSpaceEnd >> kShift)> index_{};
  std::vector<std::uint8_t> blocks_;
};

// The process-wide table; hot loops fetch it once and call lookup().
FORGE_API const ClassTable& class_table();

// The class bits of a code point; 0 ("other") for pseudo code points of invalid bytes.
inline std::uint8_t char_class(char32_t cp) {
  return cp < 0x80 ? kAsciiClasses[cp] : class_table().lookup(cp);
}

// One decoded character: its code point and its length in bytes (1 to 4).
struct Utf8Char {
  char32_t cp;
  std::uint32_t size;
};

// Decodes the character at p (p < end). Never fails: a byte that does not start a well-formed
// sequence (stray continuation, overlong form, surrogate, beyond U+10FFFF, truncated) decodes
// alone to kInvalidByteBase + byte.
inline Utf8Char decode_utf8(const char* p, const char* end) {
  const auto* s = reinterpret_cast<const unsigned char*>(p);
  const auto avail = end - p;
  const unsigned b0 = s[0];
  const Utf8Char invalid{kInvalidByteBase + b0, 1};
  auto cont = [&](int i) { return i < avail && (s[i] & 0xC0) == 0x80; };
  if (b0 < 0x80) return {b0, 1};
  if (b0 < 0xC2) return invalid;
  if (b0 < 0xE0) return cont(1) ? Utf8Char{((b0 & 0x1Fu) << 6) | (s[1] & 0x3Fu), 2} : invalid;
  if (b0 < 0xF0) {
    if (!cont(1) || !cont(2)) return invalid;
    const char32_t cp = ((b0 & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
    return cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF) ? Utf8Char{cp, 3} : invalid;
  }
  if (b0 < 0xF5) {
    if (!cont(1) || !cont(2) || !cont(3)) return invalid;
    const char32_t cp =
        ((b0 & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
    return cp >= 0x10000 && cp < kCodeSpaceEnd ? Utf8Char{cp, 4} : invalid;
  }
  return invalid;
}

}  // namespace forge::bpe
