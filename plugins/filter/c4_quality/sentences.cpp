#include "sentences.h"

#include "text_stats/unicode.h"

#include <array>
#include <string>

namespace forge {
namespace {

bool is_closing(char32_t c) {
  return c == '"' || c == '\'' || c == ')' || c == ']' || c == 0x201D || c == 0x2019 || c == 0xBB ||
         c == 0x300D || c == 0x300F;
}

bool is_wide_terminal(char32_t c) { return c == 0x3002 || c == 0xFF01 || c == 0xFF1F; }

bool is_lower_ascii(char32_t c) { return c >= 'a' && c <= 'z'; }

bool is_content(char32_t c) { return (c >= '0' && c <= '9') || text::is_alpha(c); }

// The word that ends at `end` (exclusive): the run of non-space code points before it.
std::string_view word_before(std::string_view line, std::size_t end) {
  std::size_t start = end;
  while (start > 0) {
    std::size_t previous = 0;
    if (text::is_space(text::decode_before(line, start, previous))) break;
    start = previous;
  }
  return line.substr(start, end - start);
}

bool is_abbreviation(std::string_view word) {
  if (word.size() == 1) return text::is_alpha(static_cast<unsigned char>(word[0]));
  static constexpr std::array<std::string_view, 10> kTitles{"mr", "mrs", "ms", "dr", "prof",
                                                            "sr", "jr",  "st", "mt", "vs"};
  if (word.size() > 4) return false;
  std::string lower;
  text::lower_ascii(word, lower);
  for (std::string_view title : kTitles)
    if (lower == title) return true;
  return false;
}

}  // namespace

int count_sentences(std::string_view line) {
  int sentences = 0;
  bool content = false;  // a letter or digit since the last end
  std::size_t i = 0;
  while (i < line.size()) {
    std::size_t length = 0;
    char32_t c = text::decode(line, i, length);
    if (!text::is_sentence_terminal(c)) {
      content = content || is_content(c);
      i += length;
      continue;
    }
    std::size_t run_start = i;
    bool wide = false;
    int marks = 0;
    while (i < line.size() && text::is_sentence_terminal(c = text::decode(line, i, length))) {
      wide = wide || is_wide_terminal(c);
      ++marks;
      i += length;
    }
    while (i < line.size() && is_closing(text::decode(line, i, length))) i += length;
    if (!content) continue;
    bool at_end = i >= line.size();
    bool spaced = !at_end && text::is_space(text::decode(line, i, length));
    if (!at_end && !spaced && !wide) continue;  // 3.14, example.com, U.S
    if (!at_end) {
      std::size_t next = i;
      while (next < line.size() && text::is_space(text::decode(line, next, length))) next += length;
      if (next < line.size() && is_lower_ascii(text::decode(line, next, length))) continue;
    }
    if (marks == 1 && line[run_start] == '.' && is_abbreviation(word_before(line, run_start)))
      continue;
    ++sentences;
    content = false;
  }
  return sentences + (content ? 1 : 0);
}

}  // namespace forge
