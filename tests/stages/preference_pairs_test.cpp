// Rankings and their pairs: every pair of a ranking with the better reply first, identical
// replies left out, and the Bradley-Terry loss and its gradient against analytic values.
#include <forge/autograd.h>

#include "stages/reward_model/preference_pairs.h"

#include <gtest/gtest.h>

#include <cmath>

namespace forge {
namespace {

double softplus(double x) { return std::log1p(std::exp(x)); }
double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

Ranking ranking_of(std::vector<std::string> responses, std::vector<std::size_t> order) {
  Ranking ranking;
  ranking.prompt = {{"user", "Write a line about the lamb.", {}}};
  ranking.responses = std::move(responses);
  ranking.order = std::move(order);
  return ranking;
}

TEST(PreferencePairs, ExpandsEveryPairOfARankingBetterFirst) {
  std::vector<PreferencePair> pairs = ranking_pairs(ranking_of({"a", "b", "c", "d"}, {2, 0, 3, 1}));
  const std::vector<std::pair<std::size_t, std::size_t>> expected = {{2, 0}, {2, 3}, {2, 1},
                                                                     {0, 3}, {0, 1}, {3, 1}};
  ASSERT_EQ(pairs.size(), expected.size());  // C(4, 2)
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    EXPECT_EQ(pairs[i].better, expected[i].first) << "pair " << i;
    EXPECT_EQ(pairs[i].worse, expected[i].second) << "pair " << i;
  }
  EXPECT_EQ(ranking_pairs(ranking_of({"a", "b", "c", "d", "e"}, {4, 3, 2, 1, 0})).size(), 10u);
}

TEST(PreferencePairs, LeavesOutPairsOfIdenticalReplies) {
  // Replies 0 and 2 are the same text: their pair is left out, the others stay.
  std::vector<PreferencePair> pairs = ranking_pairs(ranking_of({"x", "y", "x"}, {0, 1, 2}));
  ASSERT_EQ(pairs.size(), 2u);
  EXPECT_EQ(pairs[0].better, 0u);
  EXPECT_EQ(pairs[0].worse, 1u);
  EXPECT_EQ(pairs[1].better, 1u);
  EXPECT_EQ(pairs[1].worse, 2u);
  EXPECT_TRUE(ranking_pairs(ranking_of({"x", "x"}, {1, 0})).empty());
}

TEST(BradleyTerry, LossAndGradientAreTheAnalyticValues) {
  const std::vector<double> r = {0.5, -1.0, 2.0};
  Tensor rewards = Tensor::from_doubles(r, {3}, DType::f32).set_requires_grad();
  // Pair (0 over 1) has margin 1.5; pair (1 over 2) has margin -3 (the model has it wrong).
  const std::vector<PreferencePair> pairs = {{0, 1}, {1, 2}};
  const std::vector<double> weights = {1.0, 3.0};
  Tensor loss = bradley_terry_loss(rewards, pairs, weights);
  const double m0 = r[0] - r[1], m1 = r[1] - r[2];
  const double expected = (1.0 * softplus(-m0) + 3.0 * softplus(-m1)) / 4.0;
  EXPECT_NEAR(loss.item(), expected, 1e-5);
  loss.backward();
  // d softplus(-m) / d r_better = -sigmoid(-m), and the opposite for r_worse.
  const double g0 = -sigmoid(-m0) * 1.0 / 4.0, g1 = -sigmoid(-m1) * 3.0 / 4.0;
  std::vector<double> grad = rewards.grad().to_doubles();
  EXPECT_NEAR(grad[0], g0, 1e-5);
  EXPECT_NEAR(grad[1], -g0 + g1, 1e-5);
  EXPECT_NEAR(grad[2], -g1, 1e-5);
}

TEST(BradleyTerry, IsStableForLargeMargins) {
  Tensor rewards = Tensor::from_doubles(std::vector<double>{60.0, -60.0}, {2}, DType::f32);
  EXPECT_NEAR(bradley_terry_loss(rewards, {{0, 1}}, {1.0}).item(), 0.0, 1e-5);
  EXPECT_NEAR(bradley_terry_loss(rewards, {{1, 0}}, {1.0}).item(), 120.0, 1e-3);
}

}  // namespace
}  // namespace forge
