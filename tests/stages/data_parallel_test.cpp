// Data-parallel training end to end: `forge run` as two MPI processes against one process with
// the same global batch, ZeRO-1 against all-reduce, resuming on another world size, and what
// each rank writes.
#include "io/checkpoint_file.h"
#include "support/test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>

namespace forge {
namespace {

namespace fs = std::filesystem;
using test::run_forge;
using test::run_forge_ranks;

#define SKIP_WITHOUT_MPI() \
  if (!test::mpi_available()) GTEST_SKIP() << "this build has no MPI"

// 256 tokens per step: two micro-batches of 4 x 32, accumulated by one process or shared by
// two ranks.
fs::path write_recipe(const fs::path& dir, int steps = 20) {
  test::write_text(dir / "tiny.yaml",
                   "stage: pretrain\nname: tiny\n"
                   "tokenizer: {plugin: bytes}\n"
                   "data:\n"
                   "  train: {plugin: text, paths: ['/usr/share/common-licenses/[A-F]*']}\n"
                   "  val: {plugin: text, paths: ['/usr/share/common-licenses/GPL-3']}\n"
                   "model: {plugin: gpt2, n_layer: 2, n_head: 2, d_model: 32, context: 32}\n"
                   "optimizer: {lr: 1.0e-2, weight_decay: 0.1}\n"
                   "schedule: {warmup_steps: 5}\n"
                   "train: {steps: " +
                       std::to_string(steps) +
                       ", micro_batch: 4, batch_tokens: 256}\n"
                       "eval: {every: 10, batches: 3}\n"
                       "checkpoint: {every: 10, keep: 0}\n");
  return dir / "tiny.yaml";
}

std::vector<nlohmann::json> read_metrics(const fs::path& run) {
  std::vector<nlohmann::json> records;
  std::ifstream in(run / "metrics.jsonl");
  for (std::string line; std::getline(in, line);) records.push_back(nlohmann::json::parse(line));
  return records;
}

// Every parameter of a checkpoint, by name.
std::map<std::string, std::vector<float>> parameters(const fs::path& checkpoint) {
  CheckpointReader reader(checkpoint);
  std::map<std::string, std::vector<float>> out;
  for (const std::string& name : reader.list("/model")) {
    ArrayInfo info = reader.info("/model/" + name);
    std::vector<float> values(info.bytes() / sizeof(float));
    reader.read_array("/model/" + name, values.data(), info.bytes());
    out[name] = std::move(values);
  }
  return out;
}

double max_parameter_difference(const fs::path& a, const fs::path& b) {
  auto x = parameters(a), y = parameters(b);
  EXPECT_EQ(x.size(), y.size());
  double worst = 0;
  for (const auto& [name, values] : x) {
    EXPECT_EQ(values.size(), y[name].size()) << name;
    for (std::size_t i = 0; i < values.size() && i < y[name].size(); ++i)
      worst = std::max(worst, std::fabs(double(values[i]) - y[name][i]));
  }
  return worst;
}

// Two runs of `to` steps have the same loss from step `from` (counted from 1) on, and the
// same val_loss where both have one.
void expect_same_curve(const fs::path& a, const fs::path& b, std::size_t from, std::size_t to) {
  auto x = read_metrics(a), y = read_metrics(b);
  ASSERT_EQ(x.size(), to);
  ASSERT_EQ(y.size(), to);
  for (std::size_t i = from - 1; i < to; ++i) {
    ASSERT_EQ(x[i]["step"], y[i]["step"]);
    EXPECT_NEAR(x[i]["loss"].get<double>(), y[i]["loss"].get<double>(), 1e-5) << "step " << i + 1;
    EXPECT_EQ(x[i].contains("val_loss"), y[i].contains("val_loss"));
    if (x[i].contains("val_loss") && y[i].contains("val_loss"))
      EXPECT_NEAR(x[i]["val_loss"].get<double>(), y[i]["val_loss"].get<double>(), 1e-5);
    EXPECT_EQ(x[i]["tokens"], y[i]["tokens"]);
  }
}

fs::path step_file(const fs::path& run, int step) {
  char name[32];
  std::snprintf(name, sizeof name, "step-%08d.h5", step);
  return run / "checkpoints" / name;
}

// What a run killed three steps after its checkpoint at `step` leaves: later checkpoints gone,
// its status still "running", three metrics lines beyond the checkpoint that a resume drops.
void cut_back_to(const fs::path& run, int step, int last) {
  for (int s = step + 10; s <= last; s += 10) fs::remove(step_file(run, s));
  std::vector<nlohmann::json> metrics = read_metrics(run);
  std::string kept;
  for (std::size_t i = 0; i < static_cast<std::size_t>(step) + 3; ++i)
    kept += metrics.at(i).dump() + "\n";
  test::write_text(run / "metrics.jsonl", kept);
  test::write_text(run / "run.json",
                   "{\"name\": \"tiny\", \"stage\": \"pretrain\", "
                   "\"status\": \"running\"}\n");
}

TEST(DataParallel, TwoRanksFollowOneProcessWithTheSameGlobalBatch) {
  SKIP_WITHOUT_MPI();
  auto dir = test::temp_dir("dp-follow");
  auto recipe = write_recipe(dir);
  auto one = run_forge({"run", recipe.string(), "--run-dir", "one"}, dir, {"FORGE_THREADS=1"});
  ASSERT_EQ(one.exit_code, 0) << one.output;
  auto two = run_forge_ranks(2, {"run", recipe.string(), "--run-dir", "two"}, dir);
  ASSERT_EQ(two.exit_code, 0) << two.output;
  EXPECT_NE(one.output.find("x 2 accumulation = 256 tokens per step"), std::string::npos);
  EXPECT_NE(two.output.find("x 1 accumulation x 2 ranks = 256 tokens per step"), std::string::npos)
      << two.output;
  EXPECT_NE(two.output.find("data parallel: 2 ranks (mpi), gradients all-reduced"),
            std::string::npos);
  expect_same_curve(dir / "one", dir / "two", 1, 20);
  EXPECT_LE(max_parameter_difference(step_file(dir / "one", 20), step_file(dir / "two", 20)), 1e-5);

  // Rank 0 writes the run's files and speaks on the console; rank 1 keeps its own log.
  EXPECT_EQ(read_metrics(dir / "two").size(), 20u);
  EXPECT_TRUE(fs::exists(dir / "two" / "log.txt"));
  EXPECT_NE(test::read_text(dir / "two" / "log.rank-1.txt").find("rank 1 of 2"), std::string::npos);
  const std::string output = two.output;
  std::ptrdiff_t starts = 0;
  for (auto it = output.find("run '"); it != std::string::npos; it = output.find("run '", it + 1))
    ++starts;
  EXPECT_EQ(starts, 1) << output;
  EXPECT_NE(test::read_text(dir / "two" / "run.json").find("\"complete\""), std::string::npos);
}

// Buckets of about 1 KB, so that many of them start their sums while backward still runs: the
// result is that of summing after backward, bit for bit.
TEST(DataParallel, SummingBucketsDuringBackwardChangesNothing) {
  SKIP_WITHOUT_MPI();
  auto dir = test::temp_dir("dp-overlap");
  auto recipe = write_recipe(dir);
  auto after = run_forge_ranks(2,
                               {"run", recipe.string(), "--run-dir", "after",
                                "train.bucket_mb=0.001", "train.overlap=false"},
                               dir);
  ASSERT_EQ(after.exit_code, 0) << after.output;
  EXPECT_NE(after.output.find("gradients all-reduced after backward"), std::string::npos)
      << after.output;
  auto during = run_forge_ranks(
      2, {"run", recipe.string(), "--run-dir", "during", "train.bucket_mb=0.001"}, dir);
  ASSERT_EQ(during.exit_code, 0) << during.output;
  EXPECT_NE(during.output.find("gradients all-reduced in buckets during backward"),
            std::string::npos)
      << during.output;
  auto x = read_metrics(dir / "after"), y = read_metrics(dir / "during");
  ASSERT_EQ(x.size(), y.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    EXPECT_EQ(x[i]["loss"], y[i]["loss"]) << "step " << i + 1;
    EXPECT_EQ(x[i]["grad_norm"], y[i]["grad_norm"]) << "step " << i + 1;
  }
  EXPECT_EQ(max_parameter_difference(step_file(dir / "after", 20), step_file(dir / "during", 20)),
            0.0);
  // Recomputed blocks report their gradients from inside backward's second forward pass.
  auto recomputed = run_forge_ranks(2,
                                    {"run", recipe.string(), "--run-dir", "recomputed",
                                     "train.bucket_mb=0.001", "train.recompute=true"},
                                    dir);
  ASSERT_EQ(recomputed.exit_code, 0) << recomputed.output;
  EXPECT_EQ(
      max_parameter_difference(step_file(dir / "after", 20), step_file(dir / "recomputed", 20)),
      0.0);
}

TEST(DataParallel, Zero1GivesTheParametersOfAllReduceWithHalfTheOptimizerState) {
  SKIP_WITHOUT_MPI();
  auto dir = test::temp_dir("dp-zero1");
  auto recipe = write_recipe(dir);
  auto plain = run_forge_ranks(2, {"run", recipe.string(), "--run-dir", "plain"}, dir);
  ASSERT_EQ(plain.exit_code, 0) << plain.output;
  auto zero = run_forge_ranks(
      2, {"run", recipe.string(), "--run-dir", "zero", "train.data_parallel=zero1"}, dir);
  ASSERT_EQ(zero.exit_code, 0) << zero.output;
  expect_same_curve(dir / "plain", dir / "zero", 1, 20);
  EXPECT_LE(max_parameter_difference(step_file(dir / "plain", 20), step_file(dir / "zero", 20)),
            1e-6);
  std::smatch match;
  ASSERT_TRUE(std::regex_search(
      zero.output, match,
      std::regex("ZeRO-1; optimizer state ([0-9.]+) MB on this rank of ([0-9.]+) MB unsharded")))
      << zero.output;
  EXPECT_NEAR(std::stod(match[1]) / std::stod(match[2]), 0.5, 0.02);
  // Its checkpoints hold the whole optimizer state: a single process resumes them.
  cut_back_to(dir / "zero", 10, 20);
  auto resumed = run_forge({"resume", "zero"}, dir, {"FORGE_THREADS=1"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  expect_same_curve(dir / "plain", dir / "zero", 11, 20);
}

TEST(DataParallel, ACheckpointFromTwoRanksResumesOnOneAndOneFromOneOnTwo) {
  SKIP_WITHOUT_MPI();
  auto dir = test::temp_dir("dp-resume");
  auto recipe = write_recipe(dir);
  auto straight =
      run_forge({"run", recipe.string(), "--run-dir", "straight"}, dir, {"FORGE_THREADS=1"});
  ASSERT_EQ(straight.exit_code, 0) << straight.output;

  auto two = run_forge_ranks(2, {"run", recipe.string(), "--run-dir", "from-two"}, dir);
  ASSERT_EQ(two.exit_code, 0) << two.output;
  cut_back_to(dir / "from-two", 10, 20);
  auto on_one = run_forge({"resume", "from-two"}, dir, {"FORGE_THREADS=1"});
  ASSERT_EQ(on_one.exit_code, 0) << on_one.output;
  EXPECT_NE(on_one.output.find("resumed from"), std::string::npos) << on_one.output;
  expect_same_curve(dir / "straight", dir / "from-two", 1, 20);
  EXPECT_LE(
      max_parameter_difference(step_file(dir / "straight", 20), step_file(dir / "from-two", 20)),
      1e-5);

  auto one = run_forge({"run", recipe.string(), "--run-dir", "from-one"}, dir, {"FORGE_THREADS=1"});
  ASSERT_EQ(one.exit_code, 0) << one.output;
  cut_back_to(dir / "from-one", 10, 20);
  auto on_two = run_forge_ranks(2, {"resume", "from-one"}, dir);
  ASSERT_EQ(on_two.exit_code, 0) << on_two.output;
  EXPECT_NE(on_two.output.find("resumed from"), std::string::npos) << on_two.output;
  expect_same_curve(dir / "straight", dir / "from-one", 1, 20);
  EXPECT_LE(
      max_parameter_difference(step_file(dir / "straight", 20), step_file(dir / "from-one", 20)),
      1e-5);
}

TEST(DataParallel, SftOnTwoRanksFollowsOneProcess) {
  SKIP_WITHOUT_MPI();
  auto dir = test::temp_dir("dp-sft");
  fs::path init = test::pretrain_tiny(dir, test::kChatSpecialTokens, 64);
  std::string lines;
  for (int n = 0; n < 40; ++n)
    lines += "{\"messages\": [{\"role\": \"user\", \"content\": \"What is " + std::to_string(n) +
             " plus one?\"}, {\"role\": \"assistant\", \"content\": \"" + std::to_string(n + 1) +
             ".\"}]}\n";
  test::write_text(dir / "train.jsonl", lines);
  test::write_text(dir / "sft.yaml",
                   "stage: sft\nname: sft\ninit: " + init.string() +
                       "\ndata:\n  train: [{plugin: conversations, paths: [train.jsonl]}]\n"
                       "  val: [{plugin: conversations, paths: [train.jsonl]}]\n"
                       "optimizer: {lr: 3.0e-3}\n"
                       "train: {steps: 10, micro_batch: 2, batch_tokens: 256}\n"
                       "eval: {every: 5, batches: 3}\n"
                       "sample: {plugin: greedy, every: 10, prompt: 'What is 3 plus one?', "
                       "max_tokens: 8}\n");
  auto one = run_forge({"run", "sft.yaml", "--run-dir", "one"}, dir, {"FORGE_THREADS=1"});
  ASSERT_EQ(one.exit_code, 0) << one.output;
  auto two = run_forge_ranks(2, {"run", "sft.yaml", "--run-dir", "two"}, dir);
  ASSERT_EQ(two.exit_code, 0) << two.output;
  expect_same_curve(dir / "one", dir / "two", 1, 10);
  EXPECT_LE(max_parameter_difference(step_file(dir / "one", 10), step_file(dir / "two", 10)), 1e-5);
  // Samples come from rank 0 alone.
  EXPECT_EQ(test::read_text(dir / "two" / "samples.jsonl"),
            test::read_text(dir / "one" / "samples.jsonl"));
}

TEST(DataParallel, RlOnTwoRanksFollowsOneProcess) {
  SKIP_WITHOUT_MPI();
  auto dir = test::temp_dir("dp-rl");
  fs::path init = test::pretrain_tiny(dir, test::kChatSpecialTokens, 128);
  std::string problems;
  for (int n = 0; n < 12; ++n)
    problems += "{\"prompt\": \"What is " + std::to_string(n) +
                " plus 1?\", \"answer\": " + std::to_string(n + 1) + "}\n";
  test::write_text(dir / "train.jsonl", problems);
  test::write_text(dir / "test.jsonl", "{\"prompt\": \"What is 30 plus 1?\", \"answer\": 31}\n");
  // Any number counts as correct, so an untrained model's groups still differ; three problems
  // per step: rank 0 takes two, rank 1 one.
  test::write_text(dir / "rl.yaml",
                   "stage: rl\nname: rl\ninit: " + init.string() +
                       "\ndata:\n  train: [{plugin: problems, paths: [train.jsonl]}]\n"
                       "  test: [{plugin: problems, paths: [test.jsonl]}]\n"
                       "rewards:\n  - {plugin: numeric, abs_tol: 1.0e9}\n"
                       "  - {plugin: format, weight: 0.1}\n"
                       "rl: {prompts: 3, group_size: 4, max_tokens: 24}\n"
                       "loss: {plugin: policy_gradient, kl_coef: 0.1}\n"
                       "optimizer: {lr: 1.0e-3}\n"
                       "train: {steps: 3, micro_batch: 5}\n"
                       "eval: {every: 3, samples: 2, k: [1, 2]}\n"
                       "checkpoint: {every: 3, keep: 0}\n");
  auto one = run_forge({"run", "rl.yaml", "--run-dir", "one"}, dir, {"FORGE_THREADS=1"});
  ASSERT_EQ(one.exit_code, 0) << one.output;
  auto two = run_forge_ranks(2, {"run", "rl.yaml", "--run-dir", "two"}, dir);
  ASSERT_EQ(two.exit_code, 0) << two.output;
  EXPECT_NE(two.output.find("2 ranks share the problems"), std::string::npos) << two.output;
  auto x = read_metrics(dir / "one"), y = read_metrics(dir / "two");
  ASSERT_EQ(x.size(), y.size());
  bool trained = false;
  for (std::size_t i = 0; i < x.size(); ++i) {
    // The same samples, drawn with the same seeds on whichever rank (means summed in another
    // order may differ in the last bit).
    for (const char* key :
         {"reward", "correct", "response_tokens", "trained_samples", "updates", "pass@1", "pass@2"})
      if (x[i].contains(key))
        EXPECT_NEAR(x[i][key].get<double>(), y[i][key].get<double>(), 1e-12)
            << key << " at line " << i;
    for (const char* key : {"loss", "grad_norm", "kl"})
      if (x[i].contains(key))
        EXPECT_NEAR(x[i][key].get<double>(), y[i][key].get<double>(), 1e-5) << key;
    trained |= x[i].value("updates", 0) > 0;
  }
  EXPECT_TRUE(trained);
  EXPECT_LE(max_parameter_difference(step_file(dir / "one", 3), step_file(dir / "two", 3)), 1e-5);
  EXPECT_TRUE(fs::exists(dir / "two" / "report.md"));
}

TEST(DataParallel, ABatchTheRanksCannotShareIsRefusedOnEveryRank) {
  SKIP_WITHOUT_MPI();
  auto dir = test::temp_dir("dp-refused");
  auto recipe = write_recipe(dir);
  // 384 tokens = 3 micro-batches of 128: fine alone, not for two ranks.
  auto alone = run_forge({"validate", recipe.string(), "train.batch_tokens=384"}, dir);
  EXPECT_EQ(alone.exit_code, 0) << alone.output;
  auto two = run_forge_ranks(
      2, {"run", recipe.string(), "--run-dir", "bad", "train.batch_tokens=384"}, dir, {}, 60);
  EXPECT_NE(two.exit_code, 0);
  EXPECT_NE(two.output.find("384 is not a multiple of micro_batch * seq_len * ranks (2) = 256; "
                            "try 512"),
            std::string::npos)
      << two.output;
  EXPECT_FALSE(fs::exists(dir / "bad"));
}

TEST(DataParallel, RanksStartedByWorldSizeWithoutGpusAreRefused) {
  auto dir = test::temp_dir("dp-env");
  auto recipe = write_recipe(dir);
  auto result = run_forge({"run", recipe.string(), "--run-dir", "env", "device=cpu"}, dir,
                          {"WORLD_SIZE=2", "RANK=0", "MASTER_PORT=29999"});
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("WORLD_SIZE=2 says this process is one of several, but it runs "
                               "alone: CPU ranks run under mpirun or srun"),
            std::string::npos)
      << result.output;
  EXPECT_FALSE(fs::exists(dir / "env"));
}

}  // namespace
}  // namespace forge
