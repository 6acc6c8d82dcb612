#include <forge/error.h>
#include <forge/filter.h>

#include "support/test_support.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace forge {
namespace {

using test::make_plugin;

std::unique_ptr<Filter> c4(const std::string& options) {
  return make_plugin<Filter>("{plugin: c4_quality" + (options.empty() ? "" : ", " + options) + "}");
}

// Five lines of one plain sentence each: enough to pass on their own.
const std::string kProse =
    "The river runs to the sea.\n"
    "Hills rise on either side of it.\n"
    "Farmers grow wheat in the valley.\n"
    "In spring the water is high and cold.\n"
    "Children swim there in the summer!";

struct Case {
  std::string name;
  std::string options;
  std::string text;
  std::string expected;  // the text afterwards, or "drop:REASON"
};

TEST(C4Quality, KeepsProseLinesAndDropsTheRest) {
  const std::vector<Case> cases = {
      {"prose", "", kProse, kProse},
      {"surrounding space", "", "  \n" + kProse + "\n\n", kProse},
      {"no terminal punctuation", "", "Home | About | Contact\n" + kProse, kProse},
      {"trailing ellipsis", "", "And then it went on and on...\n" + kProse, kProse},
      {"quote ends a line", "", kProse + "\nShe said \"come with us.\"",
       kProse + "\nShe said \"come with us.\""},
      {"too few words", "", "Hi there.\n" + kProse + "\nOK!", kProse},
      {"two words allowed", "min_words_per_line: 2", "Hi there.\n" + kProse,
       "Hi there.\n" + kProse},
      {"citations", "", "The river is long.[1] It is old.[citation needed]\n" + kProse,
       "The river is long. It is old.\n" + kProse},
      {"edit markers", "", "History[edit] of the river is long.[23]\n" + kProse,
       "History of the river is long.\n" + kProse},
      {"citations kept", "remove_citations: false", kProse + "\nIt is the longest river.[1]",
       kProse},
      {"javascript", "", "Please enable JavaScript to view this page.\n" + kProse, kProse},
      {"policy", "",
       "This site uses cookies to improve your experience.\n" + kProse +
           "\nRead our Privacy Policy before you go.",
       kProse},
      {"own policy phrase", "policy_phrases: [subscribe now]",
       "Subscribe now for the best deals.\n" + kProse, kProse},
      {"policy kept", "filter_policy: false", "We use cookies on this site.\n" + kProse,
       "We use cookies on this site.\n" + kProse},
      {"long word", "max_word_length: 10", "A supercalifragilistic word here.\n" + kProse, kProse},
      {"lorem ipsum", "", kProse + "\nLorem ipsum dolor sit amet.", "drop:lorem_ipsum"},
      {"lorem ipsum off", "filter_lorem_ipsum: false", kProse + "\nLorem ipsum dolor sit amet.",
       kProse + "\nLorem ipsum dolor sit amet."},
      {"curly bracket", "", kProse + "\nThe set {1, 2, 3} is small.", "drop:curly_bracket"},
      // A line removed for another reason can't drop the document.
      {"bracket in a removed line", "", kProse + "\nfunction f() { return 1; }", kProse},
      {"four sentences", "",
       "One two three.\nFour five six.\nSeven eight nine.\nTen eleven twelve.",
       "drop:too_few_sentences"},
      {"four sentences allowed", "min_num_sentences: 4",
       "One two three.\nFour five six.\nSeven eight nine.\nTen eleven twelve.",
       "One two three.\nFour five six.\nSeven eight nine.\nTen eleven twelve."},
      {"sentences within a line", "",
       "One two three. Four five six! Seven eight nine? Ten eleven twelve. Thirteen is last.",
       "One two three. Four five six! Seven eight nine? Ten eleven twelve. Thirteen is last."},
      {"nothing left", "min_num_sentences: 0", "menu\nhome\nabout", "drop:empty"},
      {"unpunctuated lines kept", "filter_no_terminal_punct: false, min_num_sentences: 0",
       "Home About Contact\nThe river runs.", "Home About Contact\nThe river runs."},
  };
  for (const Case& test_case : cases) {
    Document document;
    document.text = test_case.text;
    Verdict verdict = c4(test_case.options)->apply(document);
    if (test_case.expected.starts_with("drop:")) {
      EXPECT_EQ(verdict.action, Verdict::Action::drop) << test_case.name;
      EXPECT_EQ(verdict.reason, test_case.expected.substr(5)) << test_case.name;
      continue;
    }
    EXPECT_EQ(verdict.reason, "") << test_case.name;
    EXPECT_EQ(document.text, test_case.expected) << test_case.name;
    EXPECT_EQ(verdict.action, test_case.expected == test_case.text ? Verdict::Action::keep
                                                                   : Verdict::Action::rewrite)
        << test_case.name;
  }
}

TEST(C4Quality, CountsSentencesWithoutAModel) {
  struct Count {
    std::string line;
    int sentences;
  };
  const std::vector<Count> counts = {
      {"One sentence here.", 1},
      {"First one. Second one.", 2},
      {"Really? Yes! Fine.", 3},
      {"Mr. Smith met Dr. Jones in St. Louis.", 1},
      {"It costs 3.50 dollars, e.g. at the shop.", 1},
      {"J. R. R. Tolkien wrote it.", 1},
      {"Wait... what happened?", 1},
      {"He said \"stop.\" Then he left.", 2},
      {"Ends without a mark", 1},
      {"Visit example.com today. It is free.", 2},
      {"\u4eca\u5929\u5f88\u597d\u3002\u660e\u5929\u4e5f\u597d\u3002", 2},
      {"... !!!", 0},
  };
  // A line passes min_num_sentences: N exactly when it has N sentences.
  for (const Count& count : counts) {
    for (int n : {count.sentences, count.sentences + 1}) {
      if (n == 0) continue;
      Document document;
      document.text = count.line;
      auto verdict =
          c4("min_words_per_line: 0, filter_no_terminal_punct: false, min_num_sentences: " +
             std::to_string(n))
              ->apply(document);
      EXPECT_EQ(verdict.action == Verdict::Action::drop, n > count.sentences)
          << count.line << " with min_num_sentences " << n;
    }
  }
}

TEST(C4Quality, RefusesBadOptions) {
  EXPECT_THROW(c4("min_num_sentences: -1"), Error);
  EXPECT_THROW(c4("policy_phrases: ['']"), Error);
  EXPECT_THROW(c4("filter_javascript: maybe"), Error);
}

}  // namespace
}  // namespace forge
