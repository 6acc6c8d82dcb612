// The sft stage end to end through the `forge` executable: a tiny pretrained checkpoint
// fine-tuned on conversations, masked validation loss, chat samples, a checkpoint that
// rebuilds alone, and located errors.
#include "io/checkpoint_file.h"
#include "support/test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace forge {
namespace {

namespace fs = std::filesystem;
using test::read_jsonl;
using test::run_forge;

// "What is N plus one?" -> "N plus one is M." for N in [from, to).
void write_pairs(const fs::path& file, int from, int to) {
  std::string lines;
  for (int n = from; n < to; ++n)
    lines += "{\"messages\": [{\"role\": \"user\", \"content\": \"What is " + std::to_string(n) +
             " plus one?\"}, {\"role\": \"assistant\", \"content\": \"" + std::to_string(n) +
             " plus one is " + std::to_string(n + 1) + ".\"}]}\n";
  test::write_text(file, lines);
}

fs::path sft_recipe(const fs::path& dir, const fs::path& init) {
  write_pairs(dir / "train.jsonl", 0, 60);
  write_pairs(dir / "val.jsonl", 60, 70);
  test::write_text(dir / "sft.yaml",
                   "stage: sft\nname: sft\ninit: " + init.string() +
                       "\n"
                       "data:\n"
                       "  train: [{plugin: conversations, paths: [train.jsonl]}]\n"
                       "  val: [{plugin: conversations, paths: [val.jsonl]}]\n"
                       "optimizer: {lr: 3.0e-3}\n"
                       "schedule: {warmup_steps: 5}\n"
                       "train: {steps: 60, micro_batch: 4}\n"
                       "eval: {every: 30, batches: 2}\n"
                       "sample: {plugin: greedy, every: 60, prompt: 'What is 3 plus one?', "
                       "max_tokens: 24}\n");
  return dir / "sft.yaml";
}

TEST(SftStage, FineTunesACheckpointOnConversations) {
  auto dir = test::temp_dir("sft-run");
  fs::path init = test::pretrain_tiny(dir, test::kChatSpecialTokens, 64);
  ASSERT_TRUE(fs::exists(init));
  auto run = dir / "run";
  auto result = run_forge({"run", sft_recipe(dir, init).string(), "--run-dir", run.string()}, dir);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("data.train[0] (conversations): 60 conversations"),
            std::string::npos)
      << result.output;
  auto metrics = read_jsonl(run / "metrics.jsonl");
  ASSERT_EQ(metrics.back()["step"], 60);
  // The assistant's replies are a pattern: the masked validation loss must fall a lot.
  EXPECT_LT(metrics.back()["val_loss"].get<double>(), metrics[29]["val_loss"].get<double>());
  EXPECT_LT(metrics.back()["loss"].get<double>(), metrics.front()["loss"].get<double>() - 1.0);
  auto samples = read_jsonl(run / "samples.jsonl");
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_EQ(samples[0]["prompt"], "What is 3 plus one?");
  // A fine-tuned checkpoint rebuilds from the file alone.
  auto sampled = run_forge({"sample", (run / "checkpoints" / "step-00000060.h5").string(),
                            "--prompt", "x", "--max-tokens", "4"},
                           dir);
  EXPECT_EQ(sampled.exit_code, 0) << sampled.output;
}

// The f32 checkpoint is read into a bf16 model; the fine-tune's own checkpoints hold f32 masters.
TEST(SftStage, FineTunesInBf16FromAnF32Checkpoint) {
  auto dir = test::temp_dir("sft-bf16");
  fs::path init = test::pretrain_tiny(dir, test::kChatSpecialTokens, 64);
  auto run = dir / "run";
  auto result = run_forge({"run", sft_recipe(dir, init).string(), "--run-dir", run.string(),
                           "precision=bf16", "train.steps=20", "eval.every=10", "~sample"},
                          dir);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("precision: bf16"), std::string::npos) << result.output;
  auto metrics = read_jsonl(run / "metrics.jsonl");
  ASSERT_EQ(metrics.back()["step"], 20);
  EXPECT_LT(metrics.back()["loss"].get<double>(), metrics.front()["loss"].get<double>());
  CheckpointReader reader(run / "checkpoints" / "step-00000020.h5");
  const std::string first = reader.list("/model").front();
  EXPECT_EQ(reader.info("/model/" + first).type, ArrayType::f32) << first;
}

TEST(SftStage, RefusesATokenizerWithoutTheChatMarkersAndAMissingCheckpoint) {
  auto dir = test::temp_dir("sft-errors");
  fs::path init = test::pretrain_tiny(dir, "'<|endoftext|>'", 64);
  auto recipe = sft_recipe(dir, init);
  auto result = run_forge({"run", recipe.string(), "--run-dir", (dir / "run").string()}, dir);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.output.find("has no special token '<|im_start|>'"), std::string::npos)
      << result.output;
  auto missing = run_forge({"run", recipe.string(), "init=nowhere.h5"}, dir);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.output.find("init"), std::string::npos) << missing.output;
  EXPECT_NE(missing.output.find("nowhere.h5"), std::string::npos) << missing.output;
  // The batch against the checkpoint's context is checked by validation, before any loading.
  auto batch = run_forge({"validate", recipe.string(), "train.batch_tokens=100"}, dir);
  EXPECT_EQ(batch.exit_code, 2);
  EXPECT_NE(batch.output.find("train.batch_tokens: 100 is not a multiple of micro_batch * seq_len "
                              "= 256; try 256 (seq_len 0 means the model's context, 64)"),
            std::string::npos)
      << batch.output;
  auto longer = run_forge({"validate", recipe.string(), "train.seq_len=65"}, dir);
  EXPECT_EQ(longer.exit_code, 2);
  EXPECT_NE(longer.output.find("sequences of 65 tokens exceed the model's context of 64"),
            std::string::npos)
      << longer.output;
  // Where the checkpoint does not exist yet, an explicit seq_len is still checked.
  auto unknown = run_forge({"validate", recipe.string(), "init=nowhere.h5", "train.seq_len=32",
                            "train.batch_tokens=100"},
                           dir);
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.output.find("100 is not a multiple of micro_batch * seq_len = 128; try 128"),
            std::string::npos)
      << unknown.output;
}

}  // namespace
}  // namespace forge
