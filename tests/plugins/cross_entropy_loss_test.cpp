// Loss plugin cross_entropy: the fused loss over [B, T, V], its mask and its z-loss metric.
#include <forge/loss.h>
#include <forge/ops.h>
#include <forge/random.h>

#include "support/test_support.h"

#include <gtest/gtest.h>

#include <cmath>

namespace forge {
namespace {

LossBatch batch(std::uint64_t seed) {
  Generator g(seed);
  LossBatch out;
  out.tensors["logits"] = Tensor::randn({2, 3, 5}, g).set_requires_grad();
  out.tensors["targets"] =
      Tensor::from_ints(std::vector<std::int32_t>{0, 4, 2, -100, 1, 3}, {2, 3});
  return out;
}

// logsumexp(row) - row[target], by hand.
double row_loss(const std::vector<double>& logits, std::size_t row, int target) {
  double max = -INFINITY, sum = 0;
  for (int v = 0; v < 5; ++v) max = std::max(max, logits[row * 5 + v]);
  for (int v = 0; v < 5; ++v) sum += std::exp(logits[row * 5 + v] - max);
  return max + std::log(sum) - logits[row * 5 + target];
}

TEST(CrossEntropyLoss, AveragesCountedRowsAndSkipsTheIgnoreIndex) {
  auto loss = test::make_plugin<Loss>("{plugin: cross_entropy}");
  LossBatch b = batch(1);
  std::vector<double> logits = b.get("logits").to_doubles();
  const int targets[] = {0, 4, 2, -100, 1, 3};
  double expected = 0;
  for (std::size_t row = 0; row < 6; ++row)
    if (targets[row] >= 0) expected += row_loss(logits, row, targets[row]) / 5;
  LossResult result = loss->compute(b);
  EXPECT_NEAR(result.loss.item(), expected, 1e-5);
  EXPECT_TRUE(result.metrics.empty());
  result.loss.backward();
  EXPECT_TRUE(b.get("logits").grad().defined());
}

TEST(CrossEntropyLoss, WeightsMaskRowsAndZLossIsReportedApart) {
  auto plain = test::make_plugin<Loss>("{plugin: cross_entropy}");
  auto with_z = test::make_plugin<Loss>("{plugin: cross_entropy, z_loss: 0.01}");
  LossBatch b = batch(2);
  b.tensors["weights"] = Tensor::from_floats(std::vector<float>{1, 1, 0, 1, 0, 0}, {2, 3});
  const double ce = plain->compute(b).loss.item();
  std::vector<double> logits = b.get("logits").to_doubles();
  EXPECT_NEAR(ce, (row_loss(logits, 0, 0) + row_loss(logits, 1, 4)) / 2, 1e-5);  // row 3 ignored
  LossResult z = with_z->compute(b);
  EXPECT_NEAR(z.metrics.at("cross_entropy"), ce, 1e-6);
  EXPECT_GT(z.metrics.at("z_loss"), 0);
  EXPECT_NEAR(z.loss.item(), ce + z.metrics.at("z_loss"), 1e-6);
  LossBatch missing;
  missing.tensors["logits"] = b.get("logits");
  EXPECT_THROW(plain->compute(missing), Error);
}

}  // namespace
}  // namespace forge
