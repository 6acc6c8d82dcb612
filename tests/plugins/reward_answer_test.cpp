// The answer extraction and normalisation that the reward plugins share (forge/answer.h).
#include <forge/answer.h>

#include <gtest/gtest.h>

namespace forge {
namespace {

struct ExtractCase {
  const char* reply;
  const char* answer;  // nullptr: none found
  AnswerSource source;
};

TEST(AnswerExtraction, FindsTheFinalAnswerInATableOfReplies) {
  const ExtractCase cases[] = {
      {"so the total is \\boxed{42}.", "42", AnswerSource::boxed},
      {"\\boxed{\\frac{3}{4}} is it", "\\frac{3}{4}", AnswerSource::boxed},
      {"first \\boxed{1}, then \\boxed{ {2} + {3} }", "{2} + {3}", AnswerSource::boxed},
      {"\\boxed{7 and the rest is cut", "7", AnswerSource::last_number},
      {"Natalia sold 48 + 24 = 72 clips.\n#### 72", "72", AnswerSource::hashes},
      {"#### 1,234\nextra 5", "1,234", AnswerSource::hashes},
      {"####   \nthe answer is 9", "9", AnswerSource::last_number},
      {"The change is 50 - 32 = 18.", "18", AnswerSource::last_number},
      {"It costs $1,234 in all", "1,234", AnswerSource::last_number},
      {"a list 1,2,3", "3", AnswerSource::last_number},
      {"1,23 is not grouped", "23", AnswerSource::last_number},
      {"The temperature fell to -5 degrees", "-5", AnswerSource::last_number},
      {"5-3 is an expression", "3", AnswerSource::last_number},
      {"it is 3.50.", "3.50", AnswerSource::last_number},
      {"three quarters: 3/4", "3/4", AnswerSource::last_number},
      {"x2 and abc7 are names, 8 is not", "8", AnswerSource::last_number},
      {"The answer is +6", "6", AnswerSource::last_number},
      {"no number at all.", nullptr, AnswerSource::last_number},
      {"", nullptr, AnswerSource::last_number},
  };
  for (const ExtractCase& c : cases) {
    std::optional<ExtractedAnswer> found = extract_answer(c.reply);
    if (!c.answer) {
      EXPECT_FALSE(found) << c.reply << " -> " << found->text;
      continue;
    }
    ASSERT_TRUE(found) << c.reply;
    EXPECT_EQ(found->text, c.answer) << c.reply;
    EXPECT_EQ(found->source, c.source) << c.reply;
  }
}

TEST(AnswerExtraction, LooksOnlyWhereItIsTold) {
  const std::string reply = "\\boxed{3} #### 4 and 5";
  EXPECT_EQ(extract_answer(reply, {AnswerSource::hashes})->text, "4 and 5");
  EXPECT_EQ(extract_answer(reply, {AnswerSource::last_number})->text, "5");
  EXPECT_FALSE(extract_answer("the answer is 5", {AnswerSource::boxed}));
  EXPECT_EQ(parse_answer_source("hashes"), AnswerSource::hashes);
  EXPECT_FALSE(parse_answer_source("box"));
}

TEST(AnswerNormalisation, NumbersCompareByValue) {
  EXPECT_EQ(parse_number("1,234"), 1234);
  EXPECT_EQ(parse_number(" $18. "), 18);
  EXPECT_EQ(parse_number("\\$5"), 5);
  EXPECT_EQ(parse_number("-2.5"), -2.5);
  EXPECT_EQ(parse_number(".5"), 0.5);
  EXPECT_EQ(parse_number("3/4"), 0.75);
  EXPECT_EQ(parse_number("\\frac{3}{4}"), 0.75);
  EXPECT_EQ(parse_number("50%"), 50);
  EXPECT_FALSE(parse_number("12 apples"));
  EXPECT_FALSE(parse_number("1,23"));
  EXPECT_FALSE(parse_number("3/0"));
  EXPECT_FALSE(parse_number(""));
  EXPECT_FALSE(parse_number("-"));

  EXPECT_EQ(normalize_answer("3.50"), "3.5");
  EXPECT_EQ(normalize_answer("1,234"), "1234");
  EXPECT_EQ(normalize_answer("-0"), "0");
  EXPECT_EQ(normalize_answer("0.1"), "0.1");
  EXPECT_EQ(normalize_answer(" \\text{Paris}. "), "paris");
  EXPECT_EQ(normalize_answer("New   York"), "new york");

  EXPECT_TRUE(answers_equal("3.50", "3.5"));
  EXPECT_TRUE(answers_equal("$1,234.", "1234"));
  EXPECT_TRUE(answers_equal("\\frac{1}{2}", "0.5"));
  EXPECT_TRUE(answers_equal("Yes", "yes."));
  EXPECT_FALSE(answers_equal("18", "81"));
  EXPECT_FALSE(answers_equal("-5", "5"));
  EXPECT_FALSE(answers_equal("", ""));
}

}  // namespace
}  // namespace forge
