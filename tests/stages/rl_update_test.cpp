// One RL update end to end on a tiny model: a sample with a positive advantage becomes more
// likely and one with a negative advantage less likely, over the sampled tokens only.
#include "stages/rl/rl_update.h"

#include <forge/loss.h>

#include "support/test_support.h"
#include "support/tiny_models.h"

#include <gtest/gtest.h>

namespace forge {
namespace {

Sample sample_of(std::vector<TokenId> prompt, std::vector<TokenId> tokens,
                 std::vector<std::uint8_t> sampled) {
  Sample sample;
  sample.prompt_ids = std::move(prompt);
  sample.turn.tokens = std::move(tokens);
  sample.turn.sampled = std::move(sampled);
  return sample;
}

// Sum of the log-probabilities of each row's sampled targets.
std::vector<double> sampled_log_probs(Model& model, const SequenceBatch& batch) {
  std::vector<double> logp = target_log_probs(model, batch).to_doubles();
  std::vector<double> mask = batch.mask.to_doubles();
  const std::int64_t T = batch.mask.size(1);
  std::vector<double> rows(static_cast<std::size_t>(batch.mask.size(0)), 0.0);
  for (std::size_t i = 0; i < logp.size(); ++i) rows[i / T] += mask[i] * logp[i];
  return rows;
}

TEST(RlUpdate, SequenceBatchesMaskEverythingButTheSampledTokens) {
  Sample a = sample_of({1, 2}, {3, 4, 5, 6}, {1, 0, 0, 1});
  Sample b = sample_of({1}, {7}, {1});
  SequenceBatch batch = sequence_batch({&a, &b}, 0, 100, Device::cpu());
  // Row 0: ids 1 2 3 4 5 predict 2 3 4 5 6; sampled targets 3 and 6.
  EXPECT_EQ(batch.ids.to_doubles(), (std::vector<double>{1, 2, 3, 4, 5, 1, 0, 0, 0, 0}));
  EXPECT_EQ(batch.targets.to_doubles(), (std::vector<double>{2, 3, 4, 5, 6, 7, 0, 0, 0, 0}));
  EXPECT_EQ(batch.mask.to_doubles(), (std::vector<double>{0, 1, 0, 0, 1, 1, 0, 0, 0, 0}));
  EXPECT_EQ(batch.tokens, 3.0);
  // A turn past the context is cut to context + 1 tokens.
  SequenceBatch cut = sequence_batch({&a}, 0, 3, Device::cpu());
  EXPECT_EQ(cut.ids.size(1), 3);
}

TEST(RlUpdate, PositiveAdvantagesRiseAndNegativeOnesFall) {
  std::unique_ptr<Model> model = test::tiny_model(
      "{plugin: gpt2, n_layer: 2, n_head: 2, d_model: 16, context: 16, vocab_multiple: 8}", 12);
  AdamWConfig config;
  config.lr = 1e-2;
  auto optimizer = make_parallel_optimizer(*model, config, single_process(), {});
  auto loss = test::make_plugin<Loss>("{plugin: policy_gradient}");
  Sample good = sample_of({1, 2}, {3, 4, 5}, {1, 1, 1});
  Sample bad = sample_of({1, 2}, {6, 7, 8}, {1, 1, 1});
  const std::vector<const Sample*> samples = {&good, &bad};
  SequenceBatch rows = sequence_batch(samples, 0, 16, Device::cpu());
  const std::vector<double> before = sampled_log_probs(*model, rows);
  UpdatePlan plan;
  plan.micro_batch = 1;  // two micro-batches that must sum to one normalised loss
  plan.context = 16;
  plan.device = Device::cpu();
  for (int step = 0; step < 3; ++step) {
    std::vector<UpdateBatch> batches = plan_updates(samples, {1.0, -1.0}, *model, nullptr, plan);
    ASSERT_EQ(batches.size(), 1u);
    EXPECT_EQ(batches[0].micro.size(), 2u);
    EXPECT_EQ(batches[0].tokens, 6.0);
    GradientResult g = compute_gradients(*model, *optimizer, *loss, batches[0], false);
    if (step == 0) EXPECT_NEAR(g.loss, 0.0, 1e-6) << "-mean(A) over equal-length samples";
    EXPECT_GT(apply_update(*optimizer, config.lr, 1.0), 0.0);
  }
  const std::vector<double> after = sampled_log_probs(*model, rows);
  EXPECT_GT(after[0], before[0] + 0.1);
  EXPECT_LT(after[1], before[1] - 0.1);

  // Off-policy plans keep the sampling policy's log-probabilities, one batch per mini-batch.
  plan.mini_batches = 2;
  plan.on_policy = false;
  std::vector<UpdateBatch> split = plan_updates(samples, {1.0, -1.0}, *model, model.get(), plan);
  ASSERT_EQ(split.size(), 2u);
  for (const UpdateBatch& batch : split) {
    EXPECT_EQ(batch.sequences, 1.0);
    ASSERT_EQ(batch.micro.size(), 1u);
    ASSERT_TRUE(batch.micro[0].old_logprobs.defined());
    EXPECT_EQ(batch.micro[0].old_logprobs.to_doubles(), batch.micro[0].ref_logprobs.to_doubles());
  }
  EXPECT_EQ(split[1].micro[0].advantages.to_doubles(), std::vector<double>{-1.0});
}

}  // namespace
}  // namespace forge
