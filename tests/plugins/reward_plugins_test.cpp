// The reward plugins exact_answer, numeric and format, made from recipe sections.
#include <forge/reward.h>

#include "support/test_support.h"

#include <gtest/gtest.h>

namespace forge {
namespace {

RewardInput sample(std::string reply, std::string answer, std::string finish = "stop") {
  RewardInput input;
  input.prompt = {{"user", "What is 6 times 7?", {}}};
  input.turn = {{"assistant", reply, {}}};
  input.reply = std::move(reply);
  input.answer = std::move(answer);
  input.finish = std::move(finish);
  return input;
}

TEST(ExactAnswerReward, ScoresTheNormalisedFinalAnswer) {
  auto reward = test::make_plugin<Reward>("{plugin: exact_answer}");
  RewardScore right = reward->score(sample("6 * 7 = 42, so \\boxed{42.0}", "42"));
  EXPECT_EQ(right.value, 1.0);
  EXPECT_EQ(right.correct, true);
  RewardScore wrong = reward->score(sample("The answer is 41.", "42"));
  EXPECT_EQ(wrong.value, 0.0);
  EXPECT_EQ(wrong.correct, false);
  EXPECT_EQ(reward->score(sample("I do not know.", "42")).correct, false);
  // A boxed answer wins over a later number.
  EXPECT_EQ(reward->score(sample("\\boxed{42} (not 43)", "42")).value, 1.0);
  auto boxed_only = test::make_plugin<Reward>("{plugin: exact_answer, from: [boxed]}");
  EXPECT_EQ(boxed_only->score(sample("The answer is 42.", "42")).value, 0.0);
}

TEST(ExactAnswerReward, RefusesAnUnknownSource) {
  try {
    test::make_plugin<Reward>("{plugin: exact_answer, from: [boxed, last_word]}");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("unknown answer source 'last_word'"), std::string::npos)
        << e.what();
  }
}

TEST(NumericReward, AcceptsAnswersWithinTheTolerance) {
  auto reward = test::make_plugin<Reward>("{plugin: numeric, abs_tol: 0.01}");
  EXPECT_EQ(reward->score(sample("about 3.141", "3.14")).value, 1.0);
  EXPECT_EQ(reward->score(sample("about 3.16", "3.14")).value, 0.0);
  EXPECT_EQ(reward->score(sample("pi", "3.14")).correct, false);
  auto relative = test::make_plugin<Reward>("{plugin: numeric, abs_tol: 0, rel_tol: 0.1}");
  EXPECT_EQ(relative->score(sample("#### 1,050", "1000")).value, 1.0);
  EXPECT_EQ(relative->score(sample("#### 1,150", "1000")).value, 0.0);
  EXPECT_EQ(relative->score(sample("#### 5", "not a number")).value, 0.0);
}

TEST(FormatReward, RewardsAClosedTurnWithAReadableAnswer) {
  auto reward = test::make_plugin<Reward>("{plugin: format}");
  EXPECT_EQ(reward->score(sample("It is 7.", "42")).value, 1.0);
  EXPECT_FALSE(reward->score(sample("It is 7.", "42")).correct);
  EXPECT_EQ(reward->score(sample("It is 7.", "42", "length")).value, 0.5);
  EXPECT_EQ(reward->score(sample("no idea", "42")).value, 0.5);
  auto boxed = test::make_plugin<Reward>(
      "{plugin: format, from: [boxed], closed: 0, answer: 1, max_chars: 20}");
  EXPECT_EQ(boxed->score(sample("It is 7.", "42")).value, 0.0);
  EXPECT_EQ(boxed->score(sample("\\boxed{7}", "42")).value, 1.0);
  EXPECT_EQ(boxed->score(sample("a long reply, then \\boxed{7}", "42")).value, 0.0);
}

}  // namespace
}  // namespace forge
