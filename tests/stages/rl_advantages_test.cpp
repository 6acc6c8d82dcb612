// Group advantages (GRPO's and mean-only) and the pass@k estimator.
#include "stages/rl/advantages.h"

#include <forge/error.h>

#include <gtest/gtest.h>

#include <cmath>

namespace forge {
namespace {

TEST(GroupAdvantages, GrpoDividesByTheGroupsStd) {
  // Two groups of four: [1, 0, 0, 0] has mean 0.25 and std sqrt(3)/4.
  std::vector<double> a = group_advantages({1, 0, 0, 0, 2, 2, 4, 4}, 4, AdvantageMode::grpo, 0.0);
  const double std = std::sqrt(3.0) / 4;
  EXPECT_NEAR(a[0], 0.75 / std, 1e-12);
  EXPECT_NEAR(a[1], -0.25 / std, 1e-12);
  EXPECT_NEAR(a[4], -1.0, 1e-12);
  EXPECT_NEAR(a[7], 1.0, 1e-12);
  double total = 0;
  for (double x : a) total += x;
  EXPECT_NEAR(total, 0.0, 1e-12);
  // eps keeps a tiny spread from exploding.
  std::vector<double> damped = group_advantages({1e-6, 0}, 2, AdvantageMode::grpo, 1e-4);
  EXPECT_NEAR(damped[0], 0.5e-6 / (0.5e-6 + 1e-4), 1e-9);
}

TEST(GroupAdvantages, MeanOnlyCentresWithoutScaling) {
  std::vector<double> a = group_advantages({1, 0, 0, 0, 3, 5}, 2, AdvantageMode::mean);
  EXPECT_EQ(a, (std::vector<double>{0.5, -0.5, 0, 0, -1, 1}));
}

TEST(GroupAdvantages, AUniformGroupTeachesNothing) {
  for (AdvantageMode mode : {AdvantageMode::grpo, AdvantageMode::mean})
    EXPECT_EQ(group_advantages({0.1, 0.1, 0.1, 1, 1, 1}, 3, mode),
              (std::vector<double>{0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(parse_advantage_mode("mean"), AdvantageMode::mean);
  EXPECT_THROW(parse_advantage_mode("ppo"), Error);
}

TEST(PassAtK, MatchesTheCombinatorialDefinition) {
  EXPECT_DOUBLE_EQ(pass_at_k(4, 0, 1), 0.0);
  EXPECT_DOUBLE_EQ(pass_at_k(4, 1, 1), 0.25);
  EXPECT_DOUBLE_EQ(pass_at_k(4, 1, 4), 1.0);
  EXPECT_DOUBLE_EQ(pass_at_k(4, 4, 2), 1.0);
  // 1 - C(3, 2) / C(5, 2) = 1 - 3 / 10
  EXPECT_NEAR(pass_at_k(5, 2, 2), 0.7, 1e-12);
  EXPECT_NEAR(pass_at_k(10, 3, 1), 0.3, 1e-12);
}

}  // namespace
}  // namespace forge
