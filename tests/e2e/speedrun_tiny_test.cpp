// recipes/speedrun/tiny.yaml as shipped, shrunk by command-line overrides to seconds: every
// stage runs on a small English corpus, and the last checkpoint answers in `forge chat`.
#include "support/test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace forge {
namespace {

namespace fs = std::filesystem;

// Paragraphs of plain English that pass the length step and give BPE pairs to merge.
void write_corpus(const fs::path& dir) {
  const char* sentences[] = {
      "The server keeps a copy of every table in its own folder on the disk.",
      "A user can change the settings of the database with a short command.",
      "When the program starts, it reads the file and checks each line in turn.",
      "Most functions return a value, and some of them also print a message.",
  };
  for (int f = 0; f < 4; ++f) {
    std::string text;
    for (int p = 0; p < 30; ++p) {
      text += "Part " + std::to_string(p) + " of chapter " + std::to_string(f) + ". ";
      for (int s = 0; s < 4; ++s) text += sentences[(p + s + f) % 4] + std::string(" ");
      text += "\n\n";
    }
    test::write_text(dir / "corpus" / ("chapter-" + std::to_string(f) + ".txt"), text);
  }
}

std::vector<std::string> shrinking_overrides() {
  std::vector<std::string> o = {
      "stages.0.input={plugin: text_files, paths: ['corpus/*.txt'], mode: paragraph}",
      "stages.0.steps=[{plugin: length, min_chars: 20}]",
      "stages.1.vocab_size=300",
      "stages.1.compare=[]",
      "stages.3.model={plugin: llama, n_layer: 1, n_head: 2, d_model: 32, context: 256}",
      "stages.3.train={steps: 2, micro_batch: 2, batch_tokens: 512}",
      "stages.3.eval={every: 2, batches: 1}",
      "stages.3.sample.every=2",
      "stages.3.schedule.warmup_steps=1",
      "stages.4.schedule.warmup_steps=1",
      "stages.5.schedule.warmup_steps=0",
      "stages.3.checkpoint={every: 2, keep: 1}",
      "stages.4.train={steps: 2, micro_batch: 2, seq_len: 160, batch_tokens: 320}",
      "stages.4.eval={every: 2, batches: 1}",
      "stages.4.sample.every=2",
      "stages.4.checkpoint={every: 2, keep: 1}",
      "stages.5.train={steps: 1, micro_batch: 4}",
      "stages.5.rl={prompts: 2, group_size: 2, max_tokens: 8, tool_calls: 1}",
      "stages.5.eval={every: 1, samples: 1, k: [1]}",
      "stages.5.data.train.0.count=20",
      "stages.5.data.test.0.count=2",
      "stages.5.checkpoint={every: 1, keep: 1}",
      "stages.6.max_tokens=6",
  };
  for (int i = 0; i < 5; ++i) o.push_back("stages.4.data.train." + std::to_string(i) + ".count=20");
  for (int i = 0; i < 3; ++i) o.push_back("stages.4.data.val." + std::to_string(i) + ".count=2");
  for (int i = 0; i < 5; ++i) o.push_back("stages.6.data." + std::to_string(i) + ".count=2");
  return o;
}

TEST(SpeedrunTiny, EveryStageRunsAndTheLastCheckpointChats) {
  const fs::path dir = test::temp_dir("speedrun-tiny");
  write_corpus(dir);
  const fs::path recipe = fs::path(FORGE_SOURCE_DIR) / "recipes" / "speedrun" / "tiny.yaml";
  std::vector<std::string> args = {"run", recipe.string(), "--run-dir", (dir / "run").string()};
  for (const std::string& o : shrinking_overrides()) args.push_back(o);
  auto result = test::run_forge(args, dir, {}, 600);
  ASSERT_EQ(result.exit_code, 0) << result.output;

  const std::vector<std::string> stages = {"data", "tokenizer", "tokens", "pretrain",
                                           "sft",  "rl",        "eval"};
  for (const std::string& stage : stages) {
    auto status = nlohmann::json::parse(test::read_text(dir / "run" / stage / "run.json"));
    EXPECT_EQ(status["status"], "complete") << stage;
  }
  auto report = nlohmann::json::parse(test::read_text(dir / "run" / "report.json"));
  EXPECT_NE(report.dump().find("\"eval\""), std::string::npos) << report.dump();
  EXPECT_TRUE(fs::exists(dir / "run" / "report.html"));
  auto eval = nlohmann::json::parse(test::read_text(dir / "run" / "eval" / "report.json"));
  EXPECT_EQ(eval.size(), 5u) << eval.dump();

  const fs::path last = dir / "run" / "rl" / "checkpoints" / "last.h5";
  ASSERT_TRUE(fs::exists(last));
  test::write_text(dir / "question.txt", "Who are you?\n");
  const std::string chat =
      "cd " + test::shell_quote(dir.string()) + " && env FORGE_PLUGIN_PATH= timeout -s KILL 120 " +
      test::shell_quote(FORGE_EXECUTABLE) + " chat " + test::shell_quote(last.string()) +
      " --tool python --max-tokens 8 < question.txt > chat.txt 2>&1";
  EXPECT_EQ(std::system(chat.c_str()), 0) << test::read_text(dir / "chat.txt");
}

}  // namespace
}  // namespace forge
