#include <forge/error.h>
#include <forge/filter.h>

#include "support/test_support.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace forge {
namespace {

using test::make_plugin;

std::unique_ptr<Filter> fineweb(const std::string& options) {
  return make_plugin<Filter>("{plugin: fineweb_quality" + (options.empty() ? "" : ", " + options) +
                             "}");
}

// A line of about 60 characters, different for every `i`, ending with `end`.
std::string line(int i, const std::string& end = ".") {
  return "Line number " + std::to_string(i) + " tells a story about rivers and hills" + end;
}

// `count` lines; the first `special` end with `special_end`, the rest with a period.
std::string document(int count, int special = 0, const std::string& special_end = "") {
  std::string out;
  for (int i = 0; i < count; ++i) out += line(i, i < special ? special_end : ".") + "\n";
  return out;
}

struct Case {
  std::string name;
  std::string options;
  std::string text;
  std::string reason;  // "" keeps the document
};

TEST(FinewebQuality, RulesAndReasons) {
  std::string short_lines;
  for (int i = 0; i < 8; ++i) short_lines += "Short line " + std::to_string(i) + ".\n";
  short_lines += line(100) + "\n" + line(101) + "\n";
  std::string two_words;  // lines long enough, but only two words each
  for (int i = 0; i < 10; ++i)
    two_words += "internationalization" + std::to_string(i) + " extraordinarily.\n";
  std::string blank_padded;  // blank lines count for nothing but newlines
  for (int i = 0; i < 10; ++i) blank_padded += line(i) + "\n \n\t\n\n";

  const std::vector<Case> cases = {
      {"prose", "", document(10), ""},
      {"empty", "", "", "empty"},
      {"blank", "", " \n\t\n  ", "empty"},
      {"no punctuation", "", document(10, 10, ""), "line_punct_ratio"},
      {"no punctuation spared", "line_punct_exclude_zero: true", document(10, 10, ""), ""},
      {"one in ten punctuated", "", document(10, 9, ""), "line_punct_ratio"},
      {"two in ten punctuated", "", document(10, 8, ""), ""},
      {"trailing space hides the period", "", document(10, 9, ". "), "line_punct_ratio"},
      // Quotes are not sentence terminals; stop_chars can make them count.
      {"quotes", "", document(10, 10, ".\""), "line_punct_ratio"},
      {"quotes as stop chars", "stop_chars: ['\"', '.']", document(10, 10, ".\""), ""},
      {"ideographic full stop", "", document(10, 10, "\u3002"), ""},
      {"short lines", "", short_lines, "short_line_ratio"},
      {"short lines allowed", "short_line_thr: 0.9", short_lines, ""},
      {"short line length", "short_line_length: 60", document(10), "short_line_ratio"},
      {"a repeated line", "", document(10) + line(3) + "\n", "char_dup_ratio"},
      {"repeats allowed", "char_duplicates_ratio: 0.2", document(10) + line(3) + "\n", ""},
      {"lists", "", two_words, "list_ratio"},
      {"lists allowed", "new_line_ratio: 0.5", two_words, ""},
      {"blank lines", "", blank_padded, "list_ratio"},
  };
  for (const Case& test_case : cases) {
    Document doc;
    doc.text = test_case.text;
    Verdict verdict = fineweb(test_case.options)->apply(doc);
    EXPECT_EQ(verdict.action,
              test_case.reason.empty() ? Verdict::Action::keep : Verdict::Action::drop)
        << test_case.name;
    EXPECT_EQ(verdict.reason, test_case.reason) << test_case.name;
  }
}

TEST(FinewebQuality, RefusesEmptyStopChars) {
  EXPECT_THROW(fineweb("stop_chars: ['']"), Error);
  EXPECT_THROW(fineweb("line_punct_thr: 2"), Error);
}

}  // namespace
}  // namespace forge
