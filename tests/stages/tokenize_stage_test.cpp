#include "io/token_shard.h"
#include "support/test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace forge {
namespace {

namespace fs = std::filesystem;
using test::run_forge;

constexpr int kFiles = 6;

// kFiles files of 30 paragraphs; returns the recipe's path.
fs::path write_recipe(const fs::path& dir, const std::string& extra = "") {
  for (int f = 0; f < kFiles; ++f) {
    std::string content;
    for (int p = 0; p < 30; ++p)
      content += "Paragraph " + std::to_string(p) + " of file " + std::to_string(f) + ".\n\n";
    test::write_text(dir / "corpus" / ("f" + std::to_string(f) + ".txt"), content);
  }
  // A relative glob (runs start in `dir`) keeps document ids, and so the val split, the same
  // from one test process to the next.
  std::string recipe =
      "stage: tokenize\nname: tok\nworkers: 2\n"
      "input: {plugin: text_files, paths: ['corpus/*.txt'], mode: paragraph}\n"
      "tokenizer: {plugin: bytes}\n"
      "val_fraction: 0.2\n" +
      extra;
  test::write_text(dir / "tok.yaml", recipe);
  return dir / "tok.yaml";
}

std::uint64_t tokens_in(const fs::path& folder) {
  std::uint64_t total = 0;
  for (const auto& entry : fs::directory_iterator(folder)) total += TokenShard(entry).size();
  return total;
}

TEST(TokenizeStage, WritesTrainAndValShardsAndReportsTokens) {
  auto dir = test::temp_dir("tokenize-run");
  auto recipe = write_recipe(dir);
  auto run_dir = dir / "run";
  auto result = run_forge({"run", recipe.string(), "--run-dir", run_dir.string()}, dir);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  std::uint64_t train = tokens_in(run_dir / "tokens" / "train");
  std::uint64_t val = tokens_in(run_dir / "tokens" / "val");
  // 180 documents at val_fraction 0.2: the val share is well inside [0.08, 0.32].
  double share = static_cast<double>(val) / static_cast<double>(train + val);
  EXPECT_GT(share, 0.08);
  EXPECT_LT(share, 0.32);
  auto stats = nlohmann::json::parse(test::read_text(run_dir / "stats.json"));
  EXPECT_EQ(stats["tasks_done"], kFiles);
  EXPECT_EQ(stats["tokens"]["train"], train);
  EXPECT_EQ(stats["tokens"]["val"], val);
  EXPECT_EQ(stats["tokens"]["documents"], kFiles * 30);
  // Bytes: one token per byte, plus one end-of-text per document.
  EXPECT_EQ(train + val, stats["tokens"]["text_bytes"].get<std::uint64_t>() + kFiles * 30);
  EXPECT_EQ(stats["tokens"]["bytes_per_token"], 1.0);
  std::string line = "tokenize: " + std::to_string(train + val) + " tokens written (train " +
                     std::to_string(train) + ", val " + std::to_string(val) + ") from " +
                     std::to_string(kFiles * 30) + " documents, 1.000 bytes per token";
  EXPECT_NE(result.output.find(line), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("tokenize: 6 tasks"), std::string::npos) << result.output;

  auto again = run_forge({"resume", run_dir.string()}, dir);
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("already complete"), std::string::npos) << again.output;
}

TEST(TokenizeStage, AnInterruptedRunRedoesOnlyItsMissingTasks) {
  auto dir = test::temp_dir("tokenize-resume");
  auto recipe = write_recipe(dir, "output: shards\n");
  auto run_dir = dir / "run";
  ASSERT_EQ(run_forge({"run", recipe.string(), "--run-dir", run_dir.string()}, dir).exit_code, 0);
  fs::path shard = run_dir / "shards" / "train" / "00003.bin";
  std::string before = test::read_text(shard);
  ASSERT_FALSE(before.empty());
  // As if the run had stopped before task 3 finished.
  fs::remove(shard);
  fs::remove(run_dir / "tasks" / "00003.done.json");
  auto status = nlohmann::json::parse(test::read_text(run_dir / "run.json"));
  status["status"] = "failed";
  test::write_text(run_dir / "run.json", status.dump());

  auto resumed = run_forge({"resume", run_dir.string()}, dir);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("5 already done, 1 to run"), std::string::npos) << resumed.output;
  EXPECT_EQ(test::read_text(shard), before);
  EXPECT_NE(resumed.output.find("tokens written"), std::string::npos) << resumed.output;
}

TEST(TokenizeStage, BadKeysFailBeforeAnythingStarts) {
  auto dir = test::temp_dir("tokenize-bad");
  auto recipe = write_recipe(dir);
  auto result = run_forge({"run", recipe.string(), "val_fraction=1"}, dir);
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("val_fraction: must be below 1"), std::string::npos)
      << result.output;
  result = run_forge({"run", recipe.string(), "~tokenizer"}, dir);
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("missing required key 'tokenizer'"), std::string::npos)
      << result.output;
  result = run_forge({"run", recipe.string(), "tokenizer.end_of_text=<|eot|>"}, dir);
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("tokenizer.end_of_text: '<|eot|>' is not one of the special"),
            std::string::npos)
      << result.output;
  result = run_forge({"run", recipe.string(), "input={plugin: token_shards, paths: [x]}"}, dir);
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("input.plugin: this dataset plugin cannot be read as documents"),
            std::string::npos)
      << result.output;
  EXPECT_FALSE(fs::exists(dir / "runs"));
}

TEST(TokenizeStage, TheLicensesRecipeValidates) {
  auto recipe = fs::path(FORGE_SOURCE_DIR) / "recipes" / "tokenize" / "licenses-bytes.yaml";
  auto result = run_forge({"validate", recipe.string()});
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("stage: tokenize"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("val_fraction: 0.05"), std::string::npos) << result.output;
}

}  // namespace
}  // namespace forge
