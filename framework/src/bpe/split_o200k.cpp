// kO200kPattern, with U = [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}], W = [\p{Ll}\p{Lm}\p{Lo}\p{M}],
// P = [^\r\n\p{L}\p{N}] and C = (?i:'s|'t|'re|'ve|'m|'ll|'d):
//   P?U*W+C?|P?U+W*C?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
// Nothing is possessive, so the word alternatives are resolved here the way backtracking
// resolves them. Lm, Lo and marks are in both U and W; marks are in P as well.
#include "bpe/builtin_splitters.h"
#include "bpe/scan.h"

namespace forge::bpe {

namespace {

using namespace scan;

// The maximal U run from p: its end, the end of its last character that is also in W
// (nullptr when none is), and whether the character after it is in W (then it is \p{Ll}).
struct UpperRun {
  const char* end;
  const char* both_end;
  bool lower_follows;
};

UpperRun upper_run(const ClassTable& table, const char* p, const char* end) {
  UpperRun run{p, nullptr, false};
  while (run.end < end) {
    const Char c = char_at(table, run.end, end);
    if (!(c.cls & kUpper)) {
      run.lower_follows = (c.cls & kLower) != 0;
      break;
    }
    run.end += c.size;
    if (c.cls & kLower) run.both_end = run.end;
  }
  return run;
}

// The end of the word alternatives' match at p before the contraction, or nullptr.
const char* word_end(const ClassTable& table, const char* p, const char* end, Char c) {
  if (c.cls & kLetter) {
    // U*W+ takes the U run and the W run after it; without a W there, U* gives back up to
    // its last character in W; failing that U+W* takes the U run alone.
    const UpperRun run = upper_run(table, p, end);
    if (run.lower_follows) return skip_any(table, run.end, end, kLower);
    return run.both_end ? run.both_end : run.end;
  }
  if (c.cls & (kCr | kLf | kNumber)) return nullptr;
  // c can only be the prefix P. Alternatives in order: P U*W+, then U*W+ without P (only a
  // mark can start it, and then matches the mark alone), then P U+.
  const char* after = p + c.size;
  const UpperRun run = upper_run(table, after, end);
  if (run.lower_follows) return skip_any(table, run.end, end, kLower);
  if (run.both_end) return run.both_end;
  if (c.cls & kMark) return after;
  return run.end > after ? run.end : nullptr;
}

const char* next_piece(const ClassTable& table, const char* p, const char* end) {
  const Char c = char_at(table, p, end);
  if (const char* w = word_end(table, p, end, c)) return w + contraction_ignore_case(w, end);
  if (c.cls & kNumber) return skip_any_upto(table, p + c.size, end, kNumber, 2);
  if (is_other(c.cls)) return skip_bytes(skip_other(table, p + c.size, end), end, "\r\n/");
  if (*p == ' ' && p + 1 < end) {
    const Char d = char_at(table, p + 1, end);
    if (is_other(d.cls)) return skip_bytes(skip_other(table, p + 1 + d.size, end), end, "\r\n/");
  }
  // Whitespace: up to its last newline, else all of it at the end of the text, else all but
  // its last character, else one character.
  const SpaceRun run = space_run(table, p, end);
  if (run.newline_end) return run.newline_end;
  if (run.end == end) return end;
  return run.last > p ? run.last : run.end;
}

}  // namespace

void split_o200k(std::string_view text, std::vector<std::string_view>& out) {
  const ClassTable& table = class_table();
  split_with(text, out,
             [&table](const char* p, const char* end) { return next_piece(table, p, end); });
}

}  // namespace forge::bpe
