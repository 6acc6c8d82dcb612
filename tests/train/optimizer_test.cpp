// AdamW's parameter groups and its state in checkpoints; loading refuses a mismatched model.
#include <forge/ops.h>

#include "io/checkpoint_file.h"
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

// A checkpoint of `model` and its optimizer with a byte tokenizer and a minimal recipe.
void save_bytes_checkpoint(const std::filesystem::path& file, Model& model, const AdamW& optimizer,
                           const TrainPosition& position) {
  auto tokenizer = test::make_plugin<Tokenizer>("{plugin: bytes}");
  CheckpointMeta meta;
  meta.recipe = "stage: pretrain\n";
  meta.tokenizer_plugin = "bytes";
  save_checkpoint(file, model, &optimizer, *tokenizer, meta, position);
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
  save_bytes_checkpoint(checkpoint_path(dir, 1), *model, optimizer, {1, 256, 17, 2.5});

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

// Gradients that differ per element and per step, rounded to bf16 so that an f32 model can be
// fed exactly what a bf16 one gets.
void fill_varied_grads(Model& model, int step) {
  Generator generator(static_cast<std::uint64_t>(100 + step));
  for (auto& [name, param] : model.parameters())
    param.set_grad(Tensor::randn(param.shape(), generator, 0.1).to(DType::bf16).to(param.dtype()));
}

TEST(AdamW, UpdatesBf16ParametersThroughF32MastersAsAnF32AdamWWould) {
  auto half = tiny_model(test::kTinyLlama, 11, DType::bf16, 3);
  auto full = tiny_model(test::kTinyLlama, 11, DType::f32, 3);
  auto& hp = half->parameters();
  auto& fp = full->parameters();
  for (std::size_t i = 0; i < hp.size(); ++i) ops::copy_into(fp[i].second, hp[i].second);
  const AdamWConfig config{1e-3, 0.9, 0.95, 1e-8, 0.1, {}};
  AdamW mixed(*half, config), reference(*full, config);
  EXPECT_EQ(mixed.state_bytes(), reference.state_bytes() * 3 / 2);  // masters beside m and v
  EXPECT_FALSE(reference.master(0).defined());
  for (int step = 0; step < 5; ++step) {
    fill_varied_grads(*half, step);
    fill_varied_grads(*full, step);
    mixed.step(1e-3);
    reference.step(1e-3);
  }
  std::size_t kept = 0;  // updates a bf16 weight alone would have lost
  for (std::size_t i = 0; i < hp.size(); ++i) {
    Tensor master = mixed.master(i);
    ASSERT_TRUE(master.defined()) << hp[i].first;
    ASSERT_EQ(master.dtype(), DType::f32);
    EXPECT_EQ(master.to_doubles(), fp[i].second.to_doubles()) << hp[i].first;
    EXPECT_EQ(hp[i].second.to_doubles(), master.to(DType::bf16).to_doubles()) << hp[i].first;
    kept += master.to_doubles() != hp[i].second.to_doubles();
  }
  EXPECT_GT(kept, hp.size() / 2);
}

// A bf16 model's checkpoint stores its f32 masters, and loading it restores them exactly.
TEST(TrainCheckpoint, StoresTheMastersOfABf16Model) {
  auto dir = test::temp_dir("train-checkpoint-bf16");
  auto model = tiny_model(test::kTinyGpt2, 13, DType::bf16, 5);
  AdamW optimizer(*model, AdamWConfig{});
  fill_varied_grads(*model, 0);
  optimizer.step(1e-3);
  save_bytes_checkpoint(checkpoint_path(dir, 1), *model, optimizer, {1, 1, 1, 1.0});
  {
    CheckpointReader reader(checkpoint_path(dir, 1));
    EXPECT_EQ(reader.info("/model/" + model->parameters()[0].first).type, ArrayType::f32);
  }
  auto other = tiny_model(test::kTinyGpt2, 13, DType::bf16, 99);
  AdamW restored(*other, AdamWConfig{});
  load_checkpoint(checkpoint_path(dir, 1), *other, &restored);
  for (std::size_t i = 0; i < model->parameters().size(); ++i) {
    EXPECT_EQ(restored.master(i).to_doubles(), optimizer.master(i).to_doubles());
    EXPECT_EQ(other->parameters()[i].second.to_doubles(),
              model->parameters()[i].second.to_doubles());
  }
  // An f32 model reads the same file as it would an f32 run's.
  auto plain = tiny_model(test::kTinyGpt2, 13, DType::f32, 99);
  load_checkpoint(checkpoint_path(dir, 1), *plain, nullptr);
  EXPECT_EQ(plain->parameters()[2].second.to_doubles(), optimizer.master(2).to_doubles());
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
