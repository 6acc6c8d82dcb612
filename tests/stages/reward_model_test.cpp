// The reward model: a scalar head on a transformer's hidden states, each sequence's reward at
// its last token, batched scoring that padding does not change, and its checkpoints.
#include <forge/autograd.h>
#include <forge/ops.h>

#include "recipe/recipe.h"
#include "support/test_support.h"
#include "support/tiny_models.h"
#include "train/reward_model.h"
#include "train/train_checkpoint.h"

#include <gtest/gtest.h>

namespace forge {
namespace {

std::unique_ptr<RewardModel> tiny_reward_model(std::uint64_t seed = 3) {
  Generator init(seed);
  return std::make_unique<RewardModel>(test::tiny_model(test::kTinyGpt2, 13), init);
}

TEST(RewardModel, AddsOneHeadAndGivesARewardPerPosition) {
  auto model = tiny_reward_model();
  NamedTensors& params = model->parameters();
  EXPECT_EQ(params.back().first, "score.weight");
  EXPECT_EQ(params.back().second.shape(), (Shape{1, 8}));
  EXPECT_EQ(params.size(), 2u + 12u * 2 + 2 + 1);
  EXPECT_FALSE(model->decays("score.weight"));
  Tensor rewards =
      model->forward(Tensor::from_ints(std::vector<std::int32_t>{1, 2, 3, 4, 5, 6}, {2, 3}));
  EXPECT_EQ(rewards.shape(), (Shape{2, 3}));
}

TEST(RewardModel, FinalRewardsReadEachRowsLastTokenAndOnlyItGetsAGradient) {
  Tensor rewards =
      Tensor::from_floats(std::vector<float>{1, 2, 3, 4, 5, 6}, {2, 3}).set_requires_grad();
  Tensor last = final_rewards(rewards, {2, 3});
  EXPECT_EQ(last.to_doubles(), (std::vector<double>{2, 6}));
  ops::sum(last).backward();
  EXPECT_EQ(rewards.grad().to_doubles(), (std::vector<double>{0, 1, 0, 0, 0, 1}));
}

TEST(RewardModel, ScoresDoNotDependOnPaddingOrBatchMates) {
  auto model = tiny_reward_model();
  const std::vector<std::vector<TokenId>> sequences = {{1, 2, 3}, {4, 5, 6, 7, 8}, {9}};
  std::vector<double> batched = score_sequences(*model, sequences, 0, 3);
  ASSERT_EQ(batched.size(), 3u);
  for (std::size_t i = 0; i < sequences.size(); ++i) {
    std::vector<double> alone = score_sequences(*model, {sequences[i]}, 12, 1);
    EXPECT_NEAR(batched[i], alone[0], 1e-5) << "sequence " << i;
  }
  EXPECT_NE(batched[0], batched[1]);
}

TEST(RewardModel, ACheckpointLoadsBackWithItsHeadAndAPlainOneIsRefused) {
  auto dir = test::temp_dir("reward-model-checkpoint");
  std::filesystem::path plain = test::pretrain_tiny(dir);
  LoadedModel body = load_model(plain, test::plugins(), Device::cpu());
  Generator init(5);
  RewardModel model(std::move(body.model), init);
  CheckpointMeta meta;
  meta.recipe = emit_yaml(body.recipe);
  meta.stage = "reward_model";
  meta.architecture = body.architecture;
  meta.tokenizer_plugin = body.tokenizer_plugin;
  const std::filesystem::path file = dir / "rm.h5";
  save_checkpoint(file, model, nullptr, *body.tokenizer, meta, {});
  LoadedRewardModel loaded = load_reward_model(file, test::plugins(), Device::cpu());
  const std::vector<std::vector<TokenId>> sequences = {{10, 20, 30}, {40, 50}};
  std::vector<double> before = score_sequences(model, sequences, 0, 2);
  std::vector<double> after = score_sequences(*loaded.model, sequences, 0, 2);
  ASSERT_EQ(after.size(), 2u);
  EXPECT_DOUBLE_EQ(before[0], after[0]);
  EXPECT_DOUBLE_EQ(before[1], after[1]);
  try {
    load_reward_model(plain, test::plugins(), Device::cpu());
    ADD_FAILURE() << "a checkpoint without a head loaded as a reward model";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("has no reward head"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace forge
