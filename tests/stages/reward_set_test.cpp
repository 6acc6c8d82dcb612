// Several reward plugins combined with weights, as a recipe's `rewards:` list makes them.
#include "stages/rl/reward_set.h"

#include "recipe/recipe.h"
#include "support/test_support.h"

#include <gtest/gtest.h>

namespace forge {
namespace {

RewardInput sample(std::string reply, std::string answer) {
  RewardInput input;
  input.reply = std::move(reply);
  input.answer = std::move(answer);
  input.finish = "stop";
  return input;
}

TEST(RewardSet, SumsWeightedScoresAndAgreesOnCorrectness) {
  Node root = Node::map();
  root.set("rewards", parse_yaml("[{plugin: exact_answer}, {plugin: format, weight: 0.1}, "
                                 "{plugin: numeric, weight: 2, abs_tol: 0.5, from: [last_number]}]",
                                 "<test>"));
  validate(root, Schema{rewards_param()}, test::plugins());
  RewardSet set = RewardSet::from_configs(Config(root, "").sections("rewards"), test::plugins());
  EXPECT_EQ(set.labels(), (std::vector<std::string>{"exact_answer", "format", "numeric"}));

  RewardTotal right = set.score(sample("so it is 42.", "42"));
  EXPECT_DOUBLE_EQ(right.value, 1 + 0.1 * 1.0 + 2);
  EXPECT_EQ(right.correct, true);
  EXPECT_EQ(right.parts, (std::vector<double>{1, 1, 1}));

  // Close enough for numeric, not for exact_answer: not correct.
  RewardTotal close = set.score(sample("so it is 42.3", "42"));
  EXPECT_DOUBLE_EQ(close.value, 0 + 0.1 + 2);
  EXPECT_EQ(close.correct, false);
}

TEST(RewardSet, RefusesAnUnknownKeyBesideWeight) {
  Node root = Node::map();
  root.set("rewards", parse_yaml("[{plugin: exact_answer, wieght: 2}]", "<test>"));
  try {
    validate(root, Schema{rewards_param()}, test::plugins());
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'weight'"), std::string::npos) << e.what();
  }
}

TEST(RewardSet, SaysNothingOfCorrectnessWithoutAnAnswerCheck) {
  RewardSet set;
  set.add("format", test::make_plugin<Reward>("{plugin: format}"), -1);
  RewardTotal total = set.score(sample("no answer", "1"));
  EXPECT_DOUBLE_EQ(total.value, -0.5);
  EXPECT_FALSE(total.correct);
}

}  // namespace
}  // namespace forge
