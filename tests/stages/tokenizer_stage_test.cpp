// The tokenizer stage end to end: train on documents, write the file and the compression
// report, then pretrain and sample with the trained tokenizer.
#include "bpe/patterns.h"
#include "support/test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>

namespace forge {
namespace {

namespace fs = std::filesystem;
using test::run_forge;

TEST(TokenizerStage, TrainsWritesAndReportsCompressionBesideOpenAIs) {
  auto dir = test::temp_dir("tokenizer-stage");
  test::write_text(dir / "tok.yaml",
                   "stage: tokenizer\nname: tok\n"
                   "input: {plugin: text_files, paths: ['/usr/share/common-licenses/*'], "
                   "mode: paragraph}\n"
                   "vocab_size: 1024\nheldout_fraction: 0.1\n"
                   "special_tokens: ['<|endoftext|>', '<|im_start|>']\n");
  auto run = dir / "tok-run";
  auto result = run_forge({"run", (dir / "tok.yaml").string(), "--run-dir", run.string()}, dir);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("compression on "), std::string::npos) << result.output;
  auto stats = nlohmann::json::parse(test::read_text(run / "stats.json"));
  EXPECT_EQ(stats["vocab_size"], 1024);
  const double trained = stats["compression"]["trained"], gpt2 = stats["compression"]["gpt2"];
  EXPECT_GT(trained, 2.5);
  EXPECT_GT(gpt2, 2.0);
  EXPECT_TRUE(stats["compression"].contains("cl100k_base"));
  ASSERT_TRUE(fs::exists(run / "tokenizer.tiktoken"));
  auto sidecar = nlohmann::json::parse(test::read_text(run / "tokenizer.tiktoken.json"));
  EXPECT_EQ(sidecar["special_tokens"]["<|im_start|>"], 1023);
  EXPECT_EQ(sidecar["pattern"], "cl100k_base");

  // The trained tokenizer drives a short pretraining run, and its checkpoint samples alone.
  test::write_text(
      dir / "pre.yaml",
      "stage: pretrain\nname: pre\n"
      "tokenizer: {plugin: bpe, path: '" +
          (run / "tokenizer.tiktoken").string() +
          "'}\n"
          "data: {train: {plugin: text, paths: ['/usr/share/common-licenses/GPL-3']}}\n"
          "model: {plugin: gpt2, n_layer: 1, n_head: 2, d_model: 32, context: 32}\n"
          "train: {steps: 3, micro_batch: 2}\n");
  auto pre =
      run_forge({"run", (dir / "pre.yaml").string(), "--run-dir", (dir / "pre").string()}, dir);
  ASSERT_EQ(pre.exit_code, 0) << pre.output;
  EXPECT_NE(pre.output.find("vocabulary 1024"), std::string::npos) << pre.output;
  fs::remove(run / "tokenizer.tiktoken");  // the checkpoint must not need the file
  auto sampled = run_forge({"sample", (dir / "pre" / "checkpoints" / "step-00000003.h5").string(),
                            "--prompt", "This program", "--max-tokens", "5"},
                           dir);
  EXPECT_EQ(sampled.exit_code, 0) << sampled.output;
}

// A document larger than a block is counted in blocks on several threads; the vocabulary is the
// same whatever the threads, and the same as counting it whole: the same pattern given as a
// regex PCRE2 runs (wrapped in a group, so it is not taken for the built-in) is never cut.
TEST(TokenizerStage, CountsLargeDocumentsInParallelWithTheSameResult) {
  auto dir = test::temp_dir("tokenizer-stage-large");
  std::string text;
  const std::string licence = test::read_text("/usr/share/common-licenses/GPL-3");
  for (int i = 0; text.size() < (9u << 20); ++i)
    text += licence + "\nCopy " + std::to_string(i) + "\n";
  test::write_text(dir / "big.txt", text);
  test::write_text(dir / "tok.yaml",
                   "stage: tokenizer\nname: big\n"
                   "input: {plugin: text_files, paths: ['big.txt'], mode: file}\n"
                   "vocab_size: 2000\nheldout_fraction: 0\ncompare: []\n");
  for (const char* threads : {"1", "2"}) {
    auto result = run_forge({"run", "tok.yaml", "--run-dir", std::string("run-") + threads}, dir,
                            {std::string("FORGE_THREADS=") + threads});
    ASSERT_EQ(result.exit_code, 0) << result.output;
  }
  EXPECT_EQ(test::read_text(dir / "run-1" / "tokenizer.tiktoken"),
            test::read_text(dir / "run-2" / "tokenizer.tiktoken"));
  const std::string whole_pattern = "(?:" + std::string(bpe::kCl100kPattern) + ")";
  auto whole = run_forge({"run", "tok.yaml", "--run-dir", "run-whole",
                          "pattern=" + nlohmann::json(whole_pattern).dump()},
                         dir);
  ASSERT_EQ(whole.exit_code, 0) << whole.output;
  EXPECT_EQ(test::read_text(dir / "run-whole" / "tokenizer.tiktoken"),
            test::read_text(dir / "run-1" / "tokenizer.tiktoken"));
}

TEST(TokenizerStage, RefusesBadSettingsBeforeStarting) {
  auto dir = test::temp_dir("tokenizer-stage-errors");
  test::write_text(dir / "tok.yaml",
                   "stage: tokenizer\ninput: {plugin: text_files, paths: "
                   "['/usr/share/common-licenses/GPL-3']}\n");
  auto recipe = (dir / "tok.yaml").string();
  auto missing_eot = run_forge({"run", recipe, "special_tokens=['<|x|>']", "--dry-run"}, dir);
  EXPECT_EQ(missing_eot.exit_code, 2);
  EXPECT_NE(missing_eot.output.find("is not one of special_tokens"), std::string::npos);
  auto bad_pattern = run_forge({"run", recipe, "pattern='(unclosed'", "--dry-run"}, dir);
  EXPECT_EQ(bad_pattern.exit_code, 2) << bad_pattern.output;
  EXPECT_NE(bad_pattern.output.find("pattern"), std::string::npos);
  auto bad_compare = run_forge({"run", recipe, "compare=[cl100k]", "--dry-run"}, dir);
  EXPECT_EQ(bad_compare.exit_code, 2);
  EXPECT_EQ(run_forge({"run", recipe, "vocab_size=100", "--dry-run"}, dir).exit_code, 2);
}

}  // namespace
}  // namespace forge
