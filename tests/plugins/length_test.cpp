#include <forge/error.h>
#include <forge/filter.h>

#include "support/test_support.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace forge {
namespace {

using test::make_plugin;

std::unique_ptr<Filter> length(const std::string& options) {
  return make_plugin<Filter>("{plugin: length" + (options.empty() ? "" : ", " + options) + "}");
}

struct Case {
  std::string options;
  std::string text;
  std::string reason;  // "" keeps the document
};

TEST(Length, BoundsAndReasons) {
  const std::string e_acute = "\xC3\xA9";          // é, 2 bytes
  const std::string kanji = "\xE6\x97\xA5";        // 日, 3 bytes
  const std::string emoji = "\xF0\x9F\x98\x80";    // 😀, 4 bytes
  const std::string nbsp = "\xC2\xA0";             // U+00A0, whitespace
  const std::string ideographic = "\xE3\x80\x80";  // U+3000, whitespace
  const std::vector<Case> cases = {
      {"", "", ""},
      {"", "anything at all", ""},
      {"min_chars: 1", "", "too_short"},
      {"min_chars: 5", "abcd", "too_short"},
      {"min_chars: 5", "abcde", ""},
      {"max_chars: 5", "abcde", ""},
      {"max_chars: 5", "abcdef", "too_long"},
      {"max_chars: 0", "", ""},
      // Characters are code points, not bytes.
      {"max_chars: 5", "caf" + e_acute + "s", ""},
      {"max_chars: 4", "caf" + e_acute + "s", "too_long"},
      {"min_chars: 3, max_chars: 3", kanji + kanji + kanji, ""},
      {"min_chars: 2", emoji, "too_short"},
      {"min_chars: 1, max_chars: 1", emoji, ""},
      // Words are runs of non-whitespace, whatever the whitespace.
      {"min_words: 3", "one two", "too_few_words"},
      {"min_words: 3", "  one\ttwo\n\nthree  ", ""},
      {"max_words: 2", "one two three", "too_many_words"},
      {"max_words: 2", "one two", ""},
      {"min_words: 1", " \t\r\n ", "too_few_words"},
      {"min_words: 3", kanji + nbsp + emoji + ideographic + "x", ""},
      {"max_words: 1", kanji + nbsp + emoji, "too_many_words"},
      {"max_words: 1", "caf" + e_acute + "-cr" + e_acute + "me", ""},
      // Character bounds are checked before word bounds.
      {"min_chars: 100, min_words: 100", "short", "too_short"},
      {"max_chars: 3, max_words: 0", "long", "too_long"},
      {"min_chars: 1, max_words: 0", "x", "too_many_words"},
  };
  for (const Case& test_case : cases) {
    auto filter = length(test_case.options);
    Document document;
    document.text = test_case.text;
    Verdict verdict = filter->apply(document);
    if (test_case.reason.empty()) {
      EXPECT_EQ(verdict.action, Verdict::Action::keep)
          << test_case.options << " / " << test_case.text;
    } else {
      EXPECT_EQ(verdict.action, Verdict::Action::drop)
          << test_case.options << " / " << test_case.text;
      EXPECT_EQ(verdict.reason, test_case.reason) << test_case.options << " / " << test_case.text;
    }
    EXPECT_EQ(document.text, test_case.text) << "the filter never rewrites";
  }
}

TEST(Length, InvalidUtf8StillCounts) {
  Document document;
  document.text = "\xFF\xFE ab";  // two stray bytes, a space and two letters
  EXPECT_EQ(length("max_chars: 5, max_words: 2")->apply(document).action, Verdict::Action::keep);
  EXPECT_EQ(length("max_chars: 4")->apply(document).reason, "too_long");
}

TEST(Length, MaximumBelowMinimumIsRefused) {
  try {
    length("min_chars: 10, max_chars: 5");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("max_chars: must be at least min_chars (10)"),
              std::string::npos)
        << error.what();
  }
  try {
    length("min_words: 3, max_words: 2");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("max_words: must be at least min_words (3)"),
              std::string::npos)
        << error.what();
  }
  EXPECT_NO_THROW(length("min_chars: 5, max_chars: 5, min_words: 1, max_words: 1"));
}

TEST(Length, SchemaRefusesNegativeBounds) {
  EXPECT_THROW(length("min_chars: -1"), Error);
  EXPECT_THROW(length("max_words: -3"), Error);
  EXPECT_THROW(length("max_chars: many"), Error);
}

}  // namespace
}  // namespace forge
