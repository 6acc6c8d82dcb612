// Loss `policy_gradient` against analytic values: the on-policy gradient, the clip on both
// sides for positive and negative advantages, the k3 KL estimator, both normalisations; and
// the token log-probabilities it is built on.
#include <forge/loss.h>
#include <forge/nn.h>
#include <forge/random.h>

#include "support/test_support.h"

#include <gtest/gtest.h>

#include <cmath>

namespace forge {
namespace {

// A leaf of logits [B, T, V].
Tensor logits_leaf(const std::vector<float>& values, std::int64_t B, std::int64_t T,
                   std::int64_t V) {
  Tensor logits = Tensor::from_floats(values, {B, T, V});
  logits.set_requires_grad();
  return logits;
}

std::vector<double> softmax_row(const std::vector<float>& values, std::size_t row, std::size_t V) {
  std::vector<double> p(V);
  double max = values[row * V], total = 0;
  for (std::size_t v = 0; v < V; ++v) max = std::max(max, double(values[row * V + v]));
  for (std::size_t v = 0; v < V; ++v) total += p[v] = std::exp(values[row * V + v] - max);
  for (double& x : p) x /= total;
  return p;
}

// d logp(target) / d logits = onehot(target) - softmax, times `scale`, for every row.
void expect_gradient(const Tensor& logits, const std::vector<float>& values,
                     const std::vector<int>& targets, const std::vector<double>& scale,
                     std::size_t V) {
  ASSERT_TRUE(logits.grad().defined());
  std::vector<double> grad = logits.grad().to_doubles();
  for (std::size_t row = 0; row < targets.size(); ++row) {
    std::vector<double> p = softmax_row(values, row, V);
    for (std::size_t v = 0; v < V; ++v) {
      const double want = scale[row] * ((int(v) == targets[row] ? 1.0 : 0.0) - p[v]);
      EXPECT_NEAR(grad[row * V + v], want, 1e-6) << "row " << row << " v " << v;
    }
  }
}

LossBatch batch_of(const Tensor& logits, const std::vector<int>& targets,
                   const std::vector<float>& mask, const std::vector<float>& advantages) {
  const std::int64_t B = logits.size(0), T = logits.size(1);
  LossBatch batch;
  batch.tensors["logits"] = logits;
  batch.tensors["targets"] = Tensor::from_ints(targets, {B, T});
  batch.tensors["weights"] = Tensor::from_floats(mask, {B, T});
  batch.tensors["advantages"] = Tensor::from_floats(advantages, {B});
  return batch;
}

TEST(TokenLogProbs, EqualsLogSoftmaxAndStaysFiniteForHugeLogits) {
  const std::vector<float> values = {0.5f, -1.0f, 2.0f, 1000.0f, 990.0f, 1001.0f};
  Tensor logits = Tensor::from_floats(values, {2, 3});
  Tensor logp = nn::token_log_probs(logits, Tensor::from_ints(std::vector<int>{2, 1}, {2}));
  std::vector<double> got = logp.to_doubles();
  EXPECT_NEAR(got[0], std::log(softmax_row(values, 0, 3)[2]), 1e-6);
  EXPECT_NEAR(got[1], std::log(softmax_row(values, 1, 3)[1]), 1e-4);
  EXPECT_TRUE(std::isfinite(got[1]));
  EXPECT_THROW(nn::token_log_probs(logits, Tensor::from_ints(std::vector<int>{3, 0}, {2})), Error);
}

TEST(PolicyGradient, OnPolicyItIsTheAdvantageWeightedLogLikelihoodGradient) {
  auto loss = test::make_plugin<Loss>("{plugin: policy_gradient}");
  const std::vector<float> values = {0.1f,  0.7f, -0.3f, 1.0f, 0.0f, 0.5f,
                                     -0.2f, 0.4f, 0.9f,  0.3f, 0.3f, -1.0f};
  const std::vector<int> targets = {1, 0, 2, 1};
  Tensor logits = logits_leaf(values, 2, 2, 3);
  LossResult result = loss->compute(batch_of(logits, targets, {1, 1, 1, 1}, {1.0f, -0.5f}));
  // The ratio is 1: the loss is -mean(A) over the four tokens.
  EXPECT_NEAR(result.loss.item(), -(1 + 1 - 0.5 - 0.5) / 4.0, 1e-6);
  EXPECT_EQ(result.metrics["clip_fraction"], 0.0);
  EXPECT_NEAR(result.metrics["ratio"], 1.0, 1e-9);
  result.loss.backward();
  expect_gradient(logits, values, targets, {-0.25, -0.25, 0.125, 0.125}, 3);
}

struct ClipCase {
  double ratio, advantage;
  bool clipped;
  double value;  // the loss: -min(rho A, clip(rho) A)
};

TEST(PolicyGradient, ClipsTheRatioOnBothSidesForEitherSignOfAdvantage) {
  auto loss = test::make_plugin<Loss>("{plugin: policy_gradient, clip_eps: 0.2}");
  const ClipCase cases[] = {
      {1.5, 1.0, true, -1.2},   // a good sample already made likelier: no further push
      {1.5, -1.0, false, 1.5},  // a bad sample made likelier: pushed back down
      {0.5, 1.0, false, -0.5},  // a good sample made rarer: pushed back up
      {0.5, -1.0, true, 0.8},   // a bad sample already made rarer: no further push
      {1.1, 1.0, false, -1.1},  // inside the interval: the plain ratio
  };
  const std::vector<float> values = {0.0f, 0.0f};  // p = 0.5 for either token
  for (const ClipCase& c : cases) {
    Tensor logits = logits_leaf(values, 1, 1, 2);
    LossBatch batch = batch_of(logits, {0}, {1}, {float(c.advantage)});
    batch.tensors["old_logprobs"] =
        Tensor::from_floats(std::vector<float>{float(std::log(0.5) - std::log(c.ratio))}, {1, 1});
    LossResult result = loss->compute(batch);
    EXPECT_NEAR(result.loss.item(), c.value, 1e-5) << c.ratio << " " << c.advantage;
    EXPECT_EQ(result.metrics["clip_fraction"], c.clipped ? 1.0 : 0.0);
    EXPECT_NEAR(result.metrics["ratio"], c.ratio, 1e-5);
    result.loss.backward();
    // d(-rho A)/dlogp = -rho A; a held clip has no gradient.
    expect_gradient(logits, values, {0}, {c.clipped ? 0.0 : -c.ratio * c.advantage}, 2);
  }
  auto higher =
      test::make_plugin<Loss>("{plugin: policy_gradient, clip_eps: 0.2, clip_eps_high: 0.6}");
  Tensor logits = logits_leaf(values, 1, 1, 2);
  LossBatch batch = batch_of(logits, {0}, {1}, {1.0f});
  batch.tensors["old_logprobs"] =
      Tensor::from_floats(std::vector<float>{float(std::log(0.5) - std::log(1.5))}, {1, 1});
  EXPECT_NEAR(higher->compute(batch).loss.item(), -1.5, 1e-5) << "1.5 is inside [0.8, 1.6]";
}

TEST(PolicyGradient, TheK3EstimatorMatchesItsClosedForm) {
  auto loss = test::make_plugin<Loss>("{plugin: policy_gradient, kl_coef: 0.5}");
  const std::vector<float> values = {0.2f, -0.4f, 1.0f, 0.0f, 0.3f, 0.3f};
  const std::vector<int> targets = {2, 0};
  const std::vector<double> r = {0.3, -0.7};  // logp_ref - logp per token
  Tensor logits = logits_leaf(values, 1, 2, 3);
  LossBatch batch = batch_of(logits, targets, {1, 1}, {0.0f});
  std::vector<float> ref;
  for (std::size_t i = 0; i < 2; ++i)
    ref.push_back(float(std::log(softmax_row(values, i, 3)[targets[i]]) + r[i]));
  batch.tensors["ref_logprobs"] = Tensor::from_floats(ref, {1, 2});
  LossResult result = loss->compute(batch);
  auto k3 = [](double x) { return std::exp(x) - x - 1; };
  const double mean_k3 = (k3(r[0]) + k3(r[1])) / 2;
  EXPECT_NEAR(result.metrics["kl"], mean_k3, 1e-5);
  EXPECT_NEAR(result.loss.item(), 0.5 * mean_k3, 1e-5);
  EXPECT_GT(mean_k3, 0.0);
  result.loss.backward();
  // d k3 / d logp = 1 - exp(r), weighted 0.5 / 2 per token.
  expect_gradient(logits, values, targets,
                  {0.25 * (1 - std::exp(r[0])), 0.25 * (1 - std::exp(r[1]))}, 3);

  auto without = test::make_plugin<Loss>("{plugin: policy_gradient}");
  Tensor again = logits_leaf(values, 1, 2, 3);
  LossBatch unweighted = batch_of(again, targets, {1, 1}, {0.0f});
  unweighted.tensors["ref_logprobs"] = batch.tensors["ref_logprobs"];
  LossResult logged = without->compute(unweighted);
  EXPECT_NEAR(logged.metrics["kl"], mean_k3, 1e-5) << "reported even when not penalised";
  EXPECT_NEAR(logged.loss.item(), 0.0, 1e-7);
  EXPECT_THROW(loss->compute(batch_of(again, targets, {1, 1}, {0.0f})), Error);
}

TEST(PolicyGradient, NormalisesByTokensOrBySequences) {
  const std::vector<float> values(2 * 3 * 2, 0.0f);
  const std::vector<int> targets = {0, 0, 0, 1, 1, 1};
  const std::vector<float> mask = {1, 0, 0, 1, 1, 1};  // one token, then three
  auto run = [&](const std::string& yaml, std::vector<double> scale, double total_tokens) {
    Tensor logits = logits_leaf(values, 2, 3, 2);
    LossBatch batch = batch_of(logits, targets, mask, {1.0f, 1.0f});
    if (total_tokens > 0)
      batch.tensors["total_tokens"] =
          Tensor::from_floats(std::vector<float>{float(total_tokens)}, {1});
    LossResult result = test::make_plugin<Loss>(yaml)->compute(batch);
    result.loss.backward();
    expect_gradient(logits, values, targets, scale, 2);
    return result.loss.item();
  };
  const double q = -0.25, s = -1.0 / 6;
  EXPECT_NEAR(run("{plugin: policy_gradient}", {q, 0, 0, q, q, q}, 0), -1.0, 1e-6);
  EXPECT_NEAR(run("{plugin: policy_gradient, normalize: sequence}", {-0.5, 0, 0, s, s, s}, 0), -1.0,
              1e-6);
  // The optimizer batch's count, for micro-batches that sum to one loss.
  EXPECT_NEAR(run("{plugin: policy_gradient}", {-0.125, 0, 0, -0.125, -0.125, -0.125}, 8), -0.5,
              1e-6);
}

}  // namespace
}  // namespace forge
