// kR50kPattern:
//   '(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s
#include "bpe/builtin_splitters.h"
#include "bpe/scan.h"

namespace forge::bpe {

namespace {

using namespace scan;

const char* next_piece(const ClassTable& table, const char* p, const char* end) {
  if (std::size_t n = contraction(p, end)) return p + n;
  const Char c = char_at(table, p, end);
  if (c.cls & kLetter) return skip_any(table, p + c.size, end, kLetter);
  if (c.cls & kNumber) return skip_any(table, p + c.size, end, kNumber);
  if (is_other(c.cls)) return skip_other(table, p + c.size, end);
  // c is \s. " ?" takes a plain space only when the class after it matches.
  if (*p == ' ' && p + 1 < end) {
    const Char d = char_at(table, p + 1, end);
    if (d.cls & kLetter) return skip_any(table, p + 1 + d.size, end, kLetter);
    if (d.cls & kNumber) return skip_any(table, p + 1 + d.size, end, kNumber);
    if (is_other(d.cls)) return skip_other(table, p + 1 + d.size, end);
  }
  // \s++$ takes a run that reaches the end; \s+(?!\S) backs off one character so that the
  // last space can prefix the next piece; \s takes a lone space.
  const SpaceRun run = space_run(table, p, end);
  if (run.end == end) return end;
  return run.last > p ? run.last : run.end;
}

}  // namespace

void split_r50k(std::string_view text, std::vector<std::string_view>& out) {
  const ClassTable& table = class_table();
  split_with(text, out,
             [&table](const char* p, const char* end) { return next_piece(table, p, end); });
}

}  // namespace forge::bpe
