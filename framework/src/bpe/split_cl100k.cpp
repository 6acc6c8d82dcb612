// kCl100kPattern:
//   '(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+
//   |\s++$|\s*[\r\n]|\s+(?!\S)|\s
#include "bpe/builtin_splitters.h"
#include "bpe/scan.h"

namespace forge::bpe {

namespace {

using namespace scan;

const char* next_piece(const ClassTable& table, const char* p, const char* end) {
  if (std::size_t n = contraction_ignore_case(p, end)) return p + n;
  const Char c = char_at(table, p, end);
  if (c.cls & kLetter) return skip_any(table, p + c.size, end, kLetter);
  // One character that is neither a newline, a letter nor a number may lead a word.
  if (!(c.cls & (kCr | kLf | kNumber)) && p + c.size < end) {
    const Char d = char_at(table, p + c.size, end);
    if (d.cls & kLetter) return skip_any(table, p + c.size + d.size, end, kLetter);
  }
  if (c.cls & kNumber) return skip_any_upto(table, p + c.size, end, kNumber, 2);
  if (is_other(c.cls)) return skip_bytes(skip_other(table, p + c.size, end), end, "\r\n");
  if (*p == ' ' && p + 1 < end) {
    const Char d = char_at(table, p + 1, end);
    if (is_other(d.cls)) return skip_bytes(skip_other(table, p + 1 + d.size, end), end, "\r\n");
  }
  // Whitespace: all of it at the end of the text, else up to its last newline, else all but
  // its last character, else one character.
  const SpaceRun run = space_run(table, p, end);
  if (run.end == end) return end;
  if (run.newline_end) return run.newline_end;
  return run.last > p ? run.last : run.end;
}

}  // namespace

void split_cl100k(std::string_view text, std::vector<std::string_view>& out) {
  const ClassTable& table = class_table();
  split_with(text, out,
             [&table](const char* p, const char* end) { return next_piece(table, p, end); });
}

}  // namespace forge::bpe
