#pragma once

// Scanning primitives shared by the built-in splitters. All take [p, end) with p <= end and
// return positions on character boundaries (invalid bytes count as one-byte characters).

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "bpe/unicode.h"

namespace forge::bpe::scan {

// The class bits and byte size of the character at p (p < end).
struct Char {
  std::uint8_t cls;
  std::uint32_t size;
};

inline Char char_at(const ClassTable& table, const char* p, const char* end) {
  const auto b = static_cast<unsigned char>(*p);
  if (b < 0x80) return {kAsciiClasses[b], 1};
  const Utf8Char c = decode_utf8(p, end);
  return {table.lookup(c.cp), c.size};
}

// [^\s\p{L}\p{N}]: punctuation, symbols, marks, controls and invalid bytes.
inline bool is_other(std::uint8_t cls) { return (cls & (kLetter | kNumber | kSpace)) == 0; }

// Skips characters while keep(class) holds; ASCII bytes take the short path.
template <class Keep>
inline const char* skip_while(const ClassTable& table, const char* p, const char* end, Keep keep) {
  while (p < end) {
    const auto b = static_cast<unsigned char>(*p);
    if (b < 0x80) {
      if (!keep(kAsciiClasses[b])) break;
      ++p;
      continue;
    }
    const Char c = char_at(table, p, end);
    if (!keep(c.cls)) break;
    p += c.size;
  }
  return p;
}

// Skips characters that have any of the bits in `any`.
inline const char* skip_any(const ClassTable& table, const char* p, const char* end,
                            std::uint8_t any) {
  return skip_while(table, p, end, [any](std::uint8_t cls) { return (cls & any) != 0; });
}

inline const char* skip_other(const ClassTable& table, const char* p, const char* end) {
  return skip_while(table, p, end, is_other);
}

// Skips up to `max` characters with any of the bits in `any` (\p{N}{1,3}).
inline const char* skip_any_upto(const ClassTable& table, const char* p, const char* end,
                                 std::uint8_t any, int max) {
  for (int i = 0; i < max && p < end; ++i) {
    const Char c = char_at(table, p, end);
    if (!(c.cls & any)) break;
    p += c.size;
  }
  return p;
}

// Skips bytes of an ASCII set such as "\r\n" ([\r\n]*).
inline const char* skip_bytes(const char* p, const char* end, std::string_view set) {
  while (p < end && set.find(*p) != std::string_view::npos) ++p;
  return p;
}

// A maximal run of \s from p: where it ends, where its last character starts, and the end of
// its last \r or \n (nullptr when it has none).
struct SpaceRun {
  const char* end;
  const char* last;
  const char* newline_end;
};

inline SpaceRun space_run(const ClassTable& table, const char* p, const char* end) {
  SpaceRun run{p, p, nullptr};
  while (run.end < end) {
    const Char c = char_at(table, run.end, end);
    if (!(c.cls & kSpace)) break;
    run.last = run.end;
    run.end += c.size;
    if (c.cls & (kCr | kLf)) run.newline_end = run.end;
  }
  return run;
}

// The length of '(?:[sdmt]|ll|ve|re) at p (case-sensitive, as in r50k), or 0.
inline std::size_t contraction(const char* p, const char* end) {
  if (end - p < 2 || p[0] != '\'') return 0;
  const char a = p[1];
  if (a == 's' || a == 'd' || a == 'm' || a == 't') return 2;
  if (end - p < 3) return 0;
  const char b = p[2];
  return (a == 'l' && b == 'l') || (a == 'v' && b == 'e') || (a == 'r' && b == 'e') ? 3 : 0;
}

// The length of '(?i:[sdmt]|ll|ve|re) at p, or 0. Case-insensitively s also matches U+017F
// (long s, bytes C5 BF), which simple case folding maps to s.
inline std::size_t contraction_ignore_case(const char* p, const char* end) {
  if (end - p < 2 || p[0] != '\'') return 0;
  const char a = static_cast<char>(p[1] | 0x20);  // only A-Z map onto a-z this way
  if (a == 's' || a == 'd' || a == 'm' || a == 't') return 2;
  if (end - p < 3) return 0;
  if (p[1] == '\xC5' && p[2] == '\xBF') return 3;
  const char b = static_cast<char>(p[2] | 0x20);
  return (a == 'l' && b == 'l') || (a == 'v' && b == 'e') || (a == 'r' && b == 'e') ? 3 : 0;
}

// Appends the pieces of [text] that next(p) delimits: next returns the end of the piece at p.
template <class Next>
inline void split_with(std::string_view text, std::vector<std::string_view>& out, Next next) {
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p < end) {
    const char* q = next(p, end);
    out.emplace_back(p, static_cast<std::size_t>(q - p));
    p = q;
  }
}

}  // namespace forge::bpe::scan
