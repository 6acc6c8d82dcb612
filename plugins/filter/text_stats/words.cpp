#include "text_stats/words.h"

#include "text_stats/unicode.h"

#include <array>

namespace forge::text {
namespace {

enum class Kind : unsigned char { word, space, alone, dot, comma, quote, dash };

constexpr std::array<Kind, 128> kAscii = [] {
  std::array<Kind, 128> kinds{};
  for (auto& kind : kinds) kind = Kind::word;
  for (char c : std::string_view("\t\n\v\f\r\x1c\x1d\x1e\x1f ")) kinds[c] = Kind::space;
  for (char c : std::string_view("()[]{}<>\";@#$%&?!*`")) kinds[c] = Kind::alone;
  kinds['.'] = Kind::dot;
  kinds[','] = Kind::comma;
  kinds[':'] = Kind::comma;
  kinds['\''] = Kind::quote;
  kinds['-'] = Kind::dash;
  return kinds;
}();

Kind classify(std::string_view text, std::size_t i, std::size_t& length) {
  auto byte = static_cast<unsigned char>(text[i]);
  if (byte < 0x80) {
    length = 1;
    return kAscii[byte];
  }
  char32_t c = decode(text, i, length);
  if (is_space(c)) return Kind::space;
  if (c == 0x2019) return Kind::quote;  // ’ doubles as the apostrophe
  if (c == 0x201C || c == 0x201D || c == 0x2018 || c == 0x201E || c == 0xAB || c == 0xBB ||
      c == 0x2026)
    return Kind::alone;
  return Kind::word;
}

bool is_digit(std::string_view text, std::size_t i) {
  return i < text.size() && text[i] >= '0' && text[i] <= '9';
}

bool is_ascii_letter(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

bool starts_word(std::string_view text, std::size_t i) {
  std::size_t length = 0;
  return i < text.size() && classify(text, i, length) == Kind::word;
}

bool ends_with_nocase(std::string_view word, std::string_view suffix) {
  if (word.size() < suffix.size()) return false;
  std::string_view tail = word.substr(word.size() - suffix.size());
  for (std::size_t k = 0; k < suffix.size(); ++k)
    if ((tail[k] | (is_ascii_letter(tail[k]) ? 0x20 : 0)) != suffix[k]) return false;
  return true;
}

// Where a clitic (n't, 's, 're, 've, 'll, 'd, 'm) starts in `word`, or npos.
std::size_t clitic_start(std::string_view word) {
  for (std::string_view nt : {std::string_view("n't"), std::string_view("n\u2019t")})
    if (word.size() > nt.size() && ends_with_nocase(word, nt)) return word.size() - nt.size();
  for (std::string_view apostrophe : {std::string_view("'"), std::string_view("\u2019")}) {
    for (std::string_view rest : {"s", "re", "ve", "ll", "d", "m"}) {
      std::size_t length = apostrophe.size() + rest.size();
      if (word.size() > length && ends_with_nocase(word, rest) &&
          word.substr(word.size() - length, apostrophe.size()) == apostrophe)
        return word.size() - length;
    }
  }
  return std::string_view::npos;
}

void emit_word(std::string_view word, std::vector<std::string_view>& out) {
  bool has_apostrophe =
      word.find('\'') != std::string_view::npos || word.find("\u2019") != std::string_view::npos;
  std::size_t split = has_apostrophe ? clitic_start(word) : std::string_view::npos;
  if (split == std::string_view::npos) {
    out.push_back(word);
  } else {
    out.push_back(word.substr(0, split));
    out.push_back(word.substr(split));
  }
}

// The end of the word that starts at `start`.
std::size_t scan_word(std::string_view text, std::size_t start) {
  std::size_t j = start;
  std::size_t length = 0;
  classify(text, j, length);
  j += length;
  bool inner_dot = text[start] == '.';
  while (j < text.size()) {
    Kind kind = classify(text, j, length);
    switch (kind) {
      case Kind::word:
        j += length;
        continue;
      case Kind::space:
      case Kind::alone:
        return j;
      case Kind::dot:
        if (j + 1 < text.size() && text[j + 1] == '.') return j;
        if (starts_word(text, j + 1)) {
          inner_dot = true;
          ++j;
          continue;
        }
        // The word's final period stays with abbreviations and initials only.
        if (inner_dot || (j - start == 1 && is_ascii_letter(text[start]))) ++j;
        return j;
      case Kind::comma:
        if (j > start && is_digit(text, j - 1) && is_digit(text, j + 1)) {
          ++j;
          continue;
        }
        return j;
      case Kind::quote: {
        std::size_t next_length = 0;
        if (j + length < text.size() && is_alpha(decode(text, j + length, next_length))) {
          j += length;  // an apostrophe inside the word: don't, rock'n'roll
          continue;
        }
        return j;
      }
      case Kind::dash:
        if (j + 1 < text.size() && text[j + 1] == '-') return j;
        ++j;
        continue;
    }
  }
  return j;
}

std::size_t run_of(std::string_view text, std::size_t i, char c) {
  std::size_t j = i;
  while (j < text.size() && text[j] == c) ++j;
  return j - i;
}

}  // namespace

void split_words(std::string_view text, std::vector<std::string_view>& out) {
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t length = 0;
    Kind kind = classify(text, i, length);
    switch (kind) {
      case Kind::space:
        i += length;
        continue;
      case Kind::alone:
      case Kind::comma:
      case Kind::quote:
        out.push_back(text.substr(i, length));
        i += length;
        continue;
      case Kind::dash:
        if (run_of(text, i, '-') >= 2) {  // NLTK splits dash runs into "--" pairs
          out.push_back(text.substr(i, 2));
          i += 2;
          continue;
        }
        [[fallthrough]];
      case Kind::dot: {
        std::size_t run = run_of(text, i, text[i]);
        if (run >= 2 || !starts_word(text, i + 1)) {
          out.push_back(text.substr(i, run));
          i += run;
          continue;
        }
        break;  // ".NET", "-5": the mark starts a word
      }
      case Kind::word:
        break;
    }
    std::size_t end = scan_word(text, i);
    emit_word(text.substr(i, end - i), out);
    i = end;
  }
}

void split_whitespace(std::string_view text, std::vector<std::string_view>& out) {
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t length = 0;
    while (i < text.size() && is_space(decode(text, i, length))) i += length;
    std::size_t start = i;
    while (i < text.size() && !is_space(decode(text, i, length))) i += length;
    if (i > start) out.push_back(text.substr(start, i - start));
  }
}

void split_lines(std::string_view text, std::vector<std::string_view>& out) {
  std::size_t start = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    auto byte = static_cast<unsigned char>(text[i]);
    std::size_t breaker = 0;  // bytes of the line break at i
    if (byte == '\n' || byte == '\v' || byte == '\f' || (byte >= 0x1C && byte <= 0x1E)) {
      breaker = 1;
    } else if (byte == '\r') {
      breaker = i + 1 < text.size() && text[i + 1] == '\n' ? 2 : 1;
    } else if (byte == 0xC2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) == 0x85) {
      breaker = 2;
    } else if (byte == 0xE2 && text.substr(i, 3) == "\u2028") {
      breaker = 3;
    } else if (byte == 0xE2 && text.substr(i, 3) == "\u2029") {
      breaker = 3;
    }
    if (breaker == 0) {
      ++i;
      continue;
    }
    out.push_back(text.substr(start, i - start));
    i += breaker;
    start = i;
  }
  if (start < text.size()) out.push_back(text.substr(start));
}

void split_newline_runs(std::string_view text, std::size_t min_run,
                        std::vector<std::string_view>& out) {
  std::size_t start = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '\n') {
      ++i;
      continue;
    }
    std::size_t run = run_of(text, i, '\n');
    if (run >= min_run) {
      out.push_back(text.substr(start, i - start));
      start = i + run;
    }
    i += run;
  }
  out.push_back(text.substr(start));
}

void split_on(std::string_view text, char sep, std::vector<std::string_view>& out) {
  std::size_t start = 0;
  for (std::size_t i = text.find(sep); i != std::string_view::npos; i = text.find(sep, start)) {
    out.push_back(text.substr(start, i - start));
    start = i + 1;
  }
  out.push_back(text.substr(start));
}

}  // namespace forge::text
