#include <forge/error.h>
#include <forge/filter.h>

#include "support/test_support.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace forge {
namespace {

using test::make_plugin;

std::unique_ptr<Filter> repetition(const std::string& options) {
  return make_plugin<Filter>("{plugin: gopher_repetition" +
                             (options.empty() ? "" : ", " + options) + "}");
}

// `count` words that occur nowhere else in a test text: w<first>, w<first + 1>, ...
std::string words(int first, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) out += (i ? " w" : "w") + std::to_string(first + i);
  return out;
}

// `count` lines of `words_per_line` fresh words each, joined by `separator`.
std::string lines(int first, int count, int words_per_line, const std::string& separator) {
  std::string out;
  for (int i = 0; i < count; ++i)
    out += (i ? separator : "") + words(first + i * words_per_line, words_per_line);
  return out;
}

// `count` lines of `prefix` followed by one fresh word.
std::string prefixed_lines(const std::string& prefix, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) out += prefix + " w" + std::to_string(9000 + i) + "\n";
  return out;
}

struct Case {
  std::string name;
  std::string options;
  std::string text;
  std::string reason;  // "" keeps the document
};

TEST(GopherRepetition, RulesAndReasons) {
  const std::string p1 = words(0, 10), p2 = words(10, 10), p3 = words(20, 10);
  const std::string long_paragraph = words(100, 40);
  const std::string same = "same line";
  std::string alternating;  // "same line" 5 times, each between two fresh lines
  for (int i = 0; i < 6; ++i)
    alternating += words(200 + 10 * i, 10) + (i < 5 ? "\n" + same + "\n" : "\n");
  const std::string long_line = words(300, 40);
  const std::string repeated_long_line = lines(400, 4, 10, "\n") + "\n" + long_line + "\n" +
                                         lines(500, 4, 10, "\n") + "\n" + long_line;

  const std::vector<Case> cases = {
      {"prose", "", lines(0, 4, 10, "\n") + "\n\n" + lines(40, 3, 10, "\n"), ""},
      {"empty", "", "", ""},
      {"paragraphs", "", p1 + "\n\n" + p1 + "\n\n\n" + p1 + "\n\n" + p2, "dup_para_frac"},
      {"paragraph characters", "",
       long_paragraph + "\n\n" + p2 + "\n\n" + long_paragraph + "\n\n" + p3, "dup_para_char_frac"},
      {"lines", "", alternating, "dup_line_frac"},
      {"line characters", "", repeated_long_line, "dup_line_char_frac"},
      {"line rules off", "dup_line_frac: 0, dup_line_char_frac: 0", alternating, ""},
      {"top 2-gram", "", prefixed_lines("alpha beta", 30), "top_2_gram"},
      {"top 3-gram", "", prefixed_lines("alpha beta gamma", 30), "top_2_gram"},
      {"top 3-gram alone", "top_n_grams: {3: 0.18}", prefixed_lines("alpha beta gamma", 30),
       "top_3_gram"},
      // Every 5-gram holds a fresh word, so nothing else repeats.
      {"top 3-gram below its threshold", "top_n_grams: {3: 0.8}",
       prefixed_lines("alpha beta gamma", 30), ""},
      // A lone bigram covers the whole text: datatrove drops it too.
      {"two words", "", "hello world", "top_2_gram"},
      {"duplicated 5-grams", "top_n_grams: {}",
       prefixed_lines("alpha beta gamma delta epsilon", 30), "duplicated_5_n_grams"},
      {"7-grams span a fresh word", "top_n_grams: {}, dup_n_grams: {7: 0.13}",
       prefixed_lines("alpha beta gamma delta epsilon", 30), ""},
      {"6-grams", "top_n_grams: {}, dup_n_grams: {5: 0, 6: 0.14}",
       prefixed_lines("alpha beta gamma delta epsilon zeta", 30), "duplicated_6_n_grams"},
      {"everything off",
       "dup_para_frac: 0, dup_para_char_frac: 0, dup_line_frac: 0, dup_line_char_frac: 0, "
       "top_n_grams: {}, dup_n_grams: {}",
       p1 + "\n\n" + p1 + "\n\n" + p1, ""},
  };
  for (const Case& test_case : cases) {
    Document document;
    document.text = test_case.text;
    Verdict verdict = repetition(test_case.options)->apply(document);
    EXPECT_EQ(verdict.action,
              test_case.reason.empty() ? Verdict::Action::keep : Verdict::Action::drop)
        << test_case.name;
    EXPECT_EQ(verdict.reason, test_case.reason) << test_case.name;
    EXPECT_EQ(document.text, test_case.text) << "the filter never rewrites";
  }
}

TEST(GopherRepetition, NgramsAreWordsNotCharacters) {
  // The same characters with punctuation split differently: "a, b" is the 2-gram "a ,".
  Document document;
  document.text = prefixed_lines("alpha, beta", 30);
  EXPECT_EQ(repetition("top_n_grams: {2: 0.2}, dup_n_grams: {}")->apply(document).reason,
            "top_2_gram");
  EXPECT_EQ(repetition("top_n_grams: {3: 0.3}, dup_n_grams: {}")->apply(document).reason,
            "top_3_gram");  // "alpha , beta" is one 3-gram
}

TEST(GopherRepetition, RefusesMalformedNgramMaps) {
  EXPECT_THROW(repetition("top_n_grams: {x: 0.2}"), Error);
  EXPECT_THROW(repetition("top_n_grams: {2: 1.5}"), Error);
  EXPECT_THROW(repetition("top_n_grams: {2: high}"), Error);
  EXPECT_THROW(repetition("top_n_grams: [2, 3]"), Error);
  EXPECT_THROW(repetition("dup_n_grams: {0: 0.1}"), Error);
  EXPECT_THROW(repetition("dup_line_frac: 1.5"), Error);
  EXPECT_NO_THROW(repetition("top_n_grams: {1: 0.5}, dup_n_grams: {12: 0.05}"));
}

}  // namespace
}  // namespace forge
