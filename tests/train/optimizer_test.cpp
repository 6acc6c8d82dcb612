// AdamW's parameter groups and its state in checkpoints; loading refuses a mismatched model.
#include <forge/ops.h>

#include "support/test_support.h"
#include "support/tiny_models.h"
#include "train/optimizer.h"
#include "train/train_checkpoint.h"

#include <gtest/gtest.h>

namespace forge {
namespace {

using test::tiny_model;

void fill_grads(Model& model, double value) {
  for (auto& [name, param] : model.parameters())
    param.set_grad(Tensor::full(param.shape(), value, param.dtype()));
}

TEST(AdamW, DecaysMatricesOnlyAndHonoursNoDecay) {
  auto model = tiny_model(test::kTinyGpt2, 13);
  AdamW plain(*model, AdamWConfig{});
  // Per layer: c_attn, c_proj, c_fc, mlp.c_proj weights; embeddings, norms and biases not.
  EXPECT_EQ(plain.decayed_count(), 2 * 4);
  AdamW fewer(*model, AdamWConfig{1e-3, 0.9, 0.95, 1e-8, 0.1, {"mlp."}});
  EXPECT_EQ(fewer.decayed_count(), 2 * 2);
}

TEST(AdamW, WeightDecayShrinksOnlyTheDecayedGroup) {
  auto model = tiny_model(test::kTinyGpt2, 13);
  AdamW optimizer(*model, AdamWConfig{0.1, 0.9, 0.95, 1e-8, 0.5, {}});
  auto& params = model->parameters();
  std::vector<std::vector<double>> before;
  for (auto& [name, param] : params) before.push_back(param.to_doubles());
  fill_grads(*model, 0.0);  // no gradient signal: only decay can move a weight
  optimizer.step(0.1);
  for (std::size_t i = 0; i < params.size(); ++i) {
    std::vector<double> after = params[i].second.to_doubles();
    for (std::size_t j = 0; j < after.size(); ++j) {
      const double expected = optimizer.decays(i) ? before[i][j] * (1 - 0.1 * 0.5) : before[i][j];
      ASSERT_NEAR(after[j], expected, 1e-6) << params[i].first;
    }
  }
}

TEST(TrainCheckpoint, RoundTripsParametersMomentsAndPosition) {
  auto dir = test::temp_dir("train-checkpoint");
  auto model = tiny_model(test::kTinyLlama, 11);
  AdamW optimizer(*model, AdamWConfig{});
  fill_grads(*model, 0.25);
  optimizer.step(1e-2);
  auto tokenizer = test::make_plugin<Tokenizer>("{plugin: bytes}");
  CheckpointMeta meta;
  meta.recipe = "stage: pretrain\n";
  meta.tokenizer_plugin = "bytes";
  TrainPosition position{1, 256, 17, 2.5};
  save_checkpoint(checkpoint_path(dir, 1), *model, &optimizer, *tokenizer, meta, position);

  auto other = tiny_model(test::kTinyLlama, 11, DType::f32, 99);  // different initial weights
  AdamW restored(*other, AdamWConfig{});
  TrainPosition loaded = load_checkpoint(checkpoint_path(dir, 1), *other, &restored);
  EXPECT_EQ(loaded.step, 1);
  EXPECT_EQ(loaded.tokens_seen, 256u);
  EXPECT_EQ(loaded.data_position, 17u);
  EXPECT_DOUBLE_EQ(loaded.elapsed_s, 2.5);
  EXPECT_EQ(restored.steps(), 1);
  for (std::size_t i = 0; i < model->parameters().size(); ++i)
    EXPECT_EQ(model->parameters()[i].second.to_doubles(),
              other->parameters()[i].second.to_doubles());
  // The same next update from both: the moments came back too.
  fill_grads(*model, -0.5);
  fill_grads(*other, -0.5);
  optimizer.step(1e-2);
  restored.step(1e-2);
  EXPECT_EQ(model->parameters()[3].second.to_doubles(), other->parameters()[3].second.to_doubles());

  auto wider = tiny_model(
      "{plugin: llama, n_layer: 2, n_head: 4, n_kv_head: 2, d_model: 32, context: 12}", 11);
  try {
    load_checkpoint(checkpoint_path(dir, 1), *wider, nullptr);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'/model/model.embed_tokens.weight' has shape [11, 16] "
                                         "but the model needs [11, 32]"),
              std::string::npos)
        << e.what();
  }
}

TEST(TrainCheckpoint, KeepsTheNewestFiles) {
  auto dir = test::temp_dir("train-checkpoint-prune");
  for (int step : {5, 10, 15, 20}) test::write_text(checkpoint_path(dir, step), "x");
  prune_checkpoints(dir, 2);
  auto left = list_checkpoints(dir);
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left[0].filename(), "step-00000015.h5");
  EXPECT_EQ(left[1].filename(), "step-00000020.h5");
}

}  // namespace
}  // namespace forge
