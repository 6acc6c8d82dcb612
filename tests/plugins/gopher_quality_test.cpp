#include <forge/error.h>
#include <forge/filter.h>

#include "support/test_support.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace forge {
namespace {

using test::make_plugin;

std::unique_ptr<Filter> quality(const std::string& options) {
  return make_plugin<Filter>("{plugin: gopher_quality" + (options.empty() ? "" : ", " + options) +
                             "}");
}

const std::vector<std::string> kProse{"the", "river", "flows", "to",    "the",
                                      "sea", "with",  "quiet", "grace", "and"};
const std::vector<std::string> kNoStopWords{"river",  "flows",     "quietly", "toward", "distant",
                                            "silver", "mountains", "under",   "clouds"};

// `count` words cycling through `vocabulary`, a period after every tenth and at the end.
std::string text_of(const std::vector<std::string>& vocabulary, int count,
                    const std::string& between = " ") {
  std::string out;
  for (int i = 0; i < count; ++i) {
    out += vocabulary[i % vocabulary.size()];
    out += (i + 1) % 10 == 0 || i + 1 == count ? "." : "";
    if (i + 1 < count) out += between;
  }
  return out;
}

// `count` lines of six prose words, the first `marked` of them led or ended by `mark`.
std::string marked_lines(int count, int marked, const std::string& lead, const std::string& end) {
  std::string out;
  for (int i = 0; i < count; ++i) {
    bool mark = i < marked;
    out += (mark ? lead : "") + "the river flows to the sea with grace" + (mark ? end : ".") + "\n";
  }
  return out;
}

std::string repeat(const std::string& piece, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) out += piece;
  return out;
}

struct Case {
  std::string name;
  std::string options;
  std::string text;
  std::string reason;  // "" keeps the document
};

TEST(GopherQuality, RulesAndReasons) {
  const std::string prose = text_of(kProse, 70);
  const std::vector<Case> cases = {
      {"prose", "", prose, ""},
      {"49 words", "", text_of(kProse, 49), "short_doc"},
      {"50 words", "", text_of(kProse, 50), ""},
      {"no minimum", "min_doc_words: 0", "the sea and the river.", ""},
      {"61 words", "max_doc_words: 60", text_of(kProse, 61), "long_doc"},
      {"60 words", "max_doc_words: 60", text_of(kProse, 60), ""},
      {"short words", "", text_of({"the", "to", "of", "a", "an", "be", "and", "with"}, 60),
       "below_avg_word_length"},
      {"long words", "", text_of({"internationalization", "the", "of", "characterization"}, 60),
       "above_avg_word_length"},
      {"hashes", "", prose + repeat(" #topic", 15), "too_many_hashes"},
      {"few hashes", "", prose + repeat(" #topic", 5), ""},
      {"ellipses", "", prose + repeat(" wait...", 12), "too_many_ellipsis"},
      {"unicode ellipses", "", prose + repeat(" wait\u2026", 12), "too_many_ellipsis"},
      {"bullets", "", marked_lines(10, 10, "- ", "."), "too_many_bullets"},
      {"round bullets", "", marked_lines(10, 10, "  \u2022 ", "."), "too_many_bullets"},
      {"nine bullets in ten", "", marked_lines(10, 9, "- ", "."), ""},
      {"bullets allowed", "max_bullet_lines_ratio: 1", marked_lines(10, 10, "- ", "."), ""},
      {"ellipsis lines", "", marked_lines(10, 4, "", " ...  "), "too_many_end_ellipsis"},
      {"three ellipsis lines", "", marked_lines(10, 3, "", "..."), ""},
      {"numbers", "", prose + repeat(" 2021", 40), "below_alpha_threshold"},
      // Punctuation marks are word tokens of their own, so commas lower the share.
      {"commas", "", text_of(kProse, 60, ", "), "below_alpha_threshold"},
      {"no stop words", "", text_of(kNoStopWords, 60), "not_enough_stop_words"},
      {"one stop word", "", text_of(kNoStopWords, 60) + " the the the.", "not_enough_stop_words"},
      {"capitalized stop words", "", text_of(kNoStopWords, 60) + " The And.",
       "not_enough_stop_words"},
      {"two stop words", "", text_of(kNoStopWords, 60) + " the and.", ""},
      {"own stop words", "stop_words: [river, clouds]", text_of(kNoStopWords, 60), ""},
      {"stop words off", "min_stop_words: 0", text_of(kNoStopWords, 60), ""},
  };
  for (const Case& test_case : cases) {
    Document document;
    document.text = test_case.text;
    Verdict verdict = quality(test_case.options)->apply(document);
    EXPECT_EQ(verdict.action,
              test_case.reason.empty() ? Verdict::Action::keep : Verdict::Action::drop)
        << test_case.name;
    EXPECT_EQ(verdict.reason, test_case.reason) << test_case.name;
  }
}

TEST(GopherQuality, EmptyAndPunctuationOnlyDocuments) {
  Document empty;
  EXPECT_EQ(quality("")->apply(empty).reason, "short_doc");
  EXPECT_EQ(quality("min_doc_words: 0, min_stop_words: 0")->apply(empty).action,
            Verdict::Action::keep);
  Document marks;
  marks.text = "... !!! ### ---";
  EXPECT_EQ(quality("min_doc_words: 0, min_stop_words: 0")->apply(marks).reason, "too_many_hashes");
}

TEST(GopherQuality, RefusesInconsistentBounds) {
  EXPECT_THROW(quality("min_doc_words: 100, max_doc_words: 50"), Error);
  EXPECT_THROW(quality("min_avg_word_length: 5, max_avg_word_length: 4"), Error);
  EXPECT_THROW(quality("max_bullet_lines_ratio: 2"), Error);
  EXPECT_NO_THROW(quality("min_doc_words: 100, max_doc_words: 0"));
}

}  // namespace
}  // namespace forge
