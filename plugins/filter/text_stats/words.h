#pragma once

// Word and line splitting with the semantics of the Python functions datatrove's filters use.

#include <string_view>
#include <vector>

namespace forge::text {

// Words the way NLTK's English word_tokenize (Penn Treebank rules) splits them, without its
// sentence model: whitespace separates; brackets, quotes, ; @ # $ % & ? ! * and ellipses are
// tokens of their own, and runs of dashes split into "--" pairs; a comma or colon splits unless
// it sits between digits; a word's final
// period splits unless the word is one letter or has periods inside (U.S., e.g.); n't and 's,
// 're, 've, 'll, 'd, 'm split off. Appends views into `text` to `out`.
void split_words(std::string_view text, std::vector<std::string_view>& out);

// Python's str.split(): maximal runs of non-whitespace.
void split_whitespace(std::string_view text, std::vector<std::string_view>& out);

// Python's str.splitlines(): splits at \n, \r, \r\n, \v, \f, \x1c-\x1e, U+0085, U+2028, U+2029;
// a final line break does not start an empty line.
void split_lines(std::string_view text, std::vector<std::string_view>& out);

// re.split("\n{k,}", text) for k = min_run: the pieces between runs of at least k newlines.
void split_newline_runs(std::string_view text, std::size_t min_run,
                        std::vector<std::string_view>& out);

// text.split(sep) for one byte: every piece, empty ones included.
void split_on(std::string_view text, char sep, std::vector<std::string_view>& out);

}  // namespace forge::text
