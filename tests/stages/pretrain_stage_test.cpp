// The pretrain stage end to end through the `forge` executable: a short run's files, exact
// resume after a kill, the NaN guard and located errors for bad settings.
#include "io/checkpoint_file.h"
#include "support/test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>

#include <sys/wait.h>
#include <unistd.h>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace forge {
namespace {

namespace fs = std::filesystem;
using test::read_jsonl;
using test::run_forge;

// A small run on the licence texts every Debian system ships, byte tokens.
fs::path write_recipe(const fs::path& dir, const std::string& extra = "") {
  std::string recipe =
      "stage: pretrain\nname: tiny\n"
      "tokenizer: {plugin: bytes}\n"
      "data:\n"
      "  train: {plugin: text, paths: ['/usr/share/common-licenses/[A-F]*']}\n"
      "  val: {plugin: text, paths: ['/usr/share/common-licenses/GPL-3']}\n"
      "model: {plugin: gpt2, n_layer: 2, n_head: 2, d_model: 32, context: 32}\n"
      "optimizer: {lr: 1.0e-2, weight_decay: 0.1}\n"
      "schedule: {warmup_steps: 5}\n"
      "train: {steps: 40, micro_batch: 4, batch_tokens: 256}\n"
      "eval: {every: 20, batches: 4}\n"
      "sample: {plugin: temperature, every: 20, prompt: 'The ', max_tokens: 16}\n"
      "checkpoint: {every: 10, keep: 2}\n" +
      extra;
  test::write_text(dir / "tiny.yaml", recipe);
  return dir / "tiny.yaml";
}

TEST(PretrainStage, TrainsAndWritesMetricsSamplesAndCheckpoints) {
  auto dir = test::temp_dir("pretrain-run");
  auto run = dir / "run";
  auto result = run_forge({"run", write_recipe(dir).string(), "--run-dir", run.string()}, dir);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("model gpt2: "), std::string::npos) << result.output;
  EXPECT_NE(result.output.find(" parameters (2 layers"), std::string::npos);
  EXPECT_NE(result.output.find("x 2 accumulation = 256 tokens per step"), std::string::npos);
  auto metrics = read_jsonl(run / "metrics.jsonl");
  ASSERT_EQ(metrics.size(), 40u);
  EXPECT_EQ(metrics.back()["step"], 40);
  EXPECT_EQ(metrics.back()["tokens"], 40 * 256);
  for (const char* key : {"loss", "lr", "grad_norm", "tok_per_s", "elapsed_s", "val_loss"})
    EXPECT_TRUE(metrics.back().contains(key)) << key;
  EXPECT_TRUE(metrics[19].contains("val_bpb"));
  EXPECT_FALSE(metrics[18].contains("val_loss"));
  // Byte-level text starts near ln(257) = 5.5 nats and must fall.
  EXPECT_LT(metrics.back()["loss"].get<double>(), metrics.front()["loss"].get<double>() - 1.0);
  EXPECT_LT(metrics.back()["val_loss"].get<double>(), metrics[19]["val_loss"].get<double>());
  auto samples = read_jsonl(run / "samples.jsonl");
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[1]["step"], 40);
  EXPECT_EQ(samples[1]["prompt"], "The ");
  std::vector<std::string> checkpoints;
  for (const auto& entry : fs::directory_iterator(run / "checkpoints"))
    checkpoints.push_back(entry.path().filename().string());
  std::sort(checkpoints.begin(), checkpoints.end());
  EXPECT_EQ(checkpoints, (std::vector<std::string>{"step-00000030.h5", "step-00000040.h5"}));

  auto sampled = run_forge({"sample", (run / "checkpoints" / "step-00000040.h5").string(),
                            "--prompt", "The ", "--max-tokens", "20", "--seed", "5"},
                           dir);
  ASSERT_EQ(sampled.exit_code, 0) << sampled.output;
  EXPECT_NE(sampled.output.find("The "), std::string::npos);
  auto twice = run_forge(
      {"sample", (run / "checkpoints" / "step-00000040.h5").string(), "--n", "2", "plugin=greedy"},
      dir);
  ASSERT_EQ(twice.exit_code, 0) << twice.output;
  EXPECT_NE(twice.output.find("--- sample 2"), std::string::npos) << twice.output;
  auto typo = run_forge(
      {"sample", (run / "checkpoints" / "step-00000040.h5").string(), "temprature=2"}, dir);
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.output.find("did you mean 'temperature'?"), std::string::npos) << typo.output;

  // --prompts: batched, each line back with its completions; greedy agrees with --prompt.
  const std::string checkpoint = (run / "checkpoints" / "step-00000040.h5").string();
  auto single = run_forge({"--log-level", "warning", "sample", checkpoint, "--prompt", "And ",
                           "--max-tokens", "12", "plugin=greedy"},
                          dir);
  ASSERT_EQ(single.exit_code, 0) << single.output;
  test::write_text(dir / "prompts.jsonl",
                   "{\"prompt\": \"The \", \"label\": 1}\n\n{\"prompt\": \"And \"}\n"
                   "{\"prompt\": \"For \"}\n");
  auto batch = run_forge(
      {"--log-level", "warning", "sample", checkpoint, "--prompts",
       (dir / "prompts.jsonl").string(), "--max-tokens", "12", "--n", "2", "plugin=greedy"},
      dir);
  ASSERT_EQ(batch.exit_code, 0) << batch.output;
  std::vector<nlohmann::json> lines;
  std::istringstream out(batch.output);
  for (std::string line; std::getline(out, line);)
    if (line.starts_with("{")) lines.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(lines.size(), 3u) << batch.output;
  EXPECT_EQ(lines[0]["label"], 1);
  ASSERT_EQ(lines[1]["completions"].size(), 2u);
  EXPECT_EQ(lines[1]["completions"][0], lines[1]["completions"][1]);
  EXPECT_EQ("And " + lines[1]["completions"][0].get<std::string>() + "\n", single.output);
  test::write_text(dir / "bad.jsonl", "{\"prompt\": \"The \"}\n{\"text\": \"x\"}\n");
  auto bad = run_forge({"sample", checkpoint, "--prompts", (dir / "bad.jsonl").string()}, dir);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("bad.jsonl:2: expected a JSON object"), std::string::npos)
      << bad.output;
}

// Every array of two checkpoint files, byte for byte.
void expect_same_arrays(const fs::path& a, const fs::path& b) {
  CheckpointReader ra(a), rb(b);
  std::size_t compared = 0;
  for (const std::string& group : {std::string("/model"), std::string("/optim")}) {
    for (const std::string& name : ra.list(group)) {
      std::vector<std::string> paths = {group + "/" + name};
      if (group == "/optim") paths = {group + "/" + name + "/m", group + "/" + name + "/v"};
      for (const std::string& path : paths) {
        ArrayInfo info = ra.info(path);
        std::vector<char> da(info.bytes()), db(info.bytes());
        ra.read_array(path, da.data(), da.size());
        rb.read_array(path, db.data(), db.size());
        EXPECT_TRUE(da == db) << path << " differs";
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 20u);
}

// A run killed once its step-50 checkpoint exists, resumed, against one never interrupted.
void expect_killed_run_resumes_bitwise(const std::string& name, const std::string& extra) {
  auto dir = test::temp_dir(name);
  auto recipe = write_recipe(dir, extra);
  const std::vector<std::string> settings = {"train.steps=100", "checkpoint.every=50",
                                             "checkpoint.keep=0", "~sample"};
  auto args = [&](const fs::path& run) {
    std::vector<std::string> out = {"run", recipe.string(), "--run-dir", run.string()};
    out.insert(out.end(), settings.begin(), settings.end());
    return out;
  };
  auto straight = run_forge(args(dir / "straight"), dir);
  ASSERT_EQ(straight.exit_code, 0) << straight.output;

  // The same run, killed with SIGKILL once its step-50 checkpoint exists.
  const fs::path killed = dir / "killed";
  pid_t child = fork();
  if (child == 0) {
    std::vector<std::string> all = args(killed);
    std::vector<char*> argv = {const_cast<char*>(FORGE_EXECUTABLE)};
    for (auto& arg : all) argv.push_back(arg.data());
    argv.push_back(nullptr);
    if (chdir(dir.c_str()) != 0) _exit(127);
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    execv(FORGE_EXECUTABLE, argv.data());
    _exit(127);
  }
  const fs::path first = killed / "checkpoints" / "step-00000050.h5";
  for (int i = 0; i < 60000 && !fs::exists(first); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the run ended before it could be killed";
  ASSERT_FALSE(fs::exists(killed / "checkpoints" / "step-00000100.h5"));

  auto resumed = run_forge({"resume", killed.string()}, dir);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("resumed from"), std::string::npos) << resumed.output;
  expect_same_arrays(dir / "straight" / "checkpoints" / "step-00000100.h5",
                     killed / "checkpoints" / "step-00000100.h5");
  auto a = read_jsonl(dir / "straight" / "metrics.jsonl");
  auto b = read_jsonl(killed / "metrics.jsonl");
  ASSERT_EQ(a.size(), b.size());  // no step logged twice
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i]["step"], b[i]["step"]);
    EXPECT_EQ(a[i]["loss"], b[i]["loss"]) << "step " << a[i]["step"];
  }
}

TEST(PretrainStage, AKilledRunResumesBitwiseIdentical) {
  expect_killed_run_resumes_bitwise("pretrain-resume", "");
}

// The checkpoint holds the f32 masters, so a bf16 run resumes exactly too.
TEST(PretrainStage, AKilledBf16RunResumesBitwiseIdentical) {
  expect_killed_run_resumes_bitwise("pretrain-resume-bf16", "precision: bf16\n");
}

// bf16 weights and activations with f32 masters follow the fp32 run's loss within bf16's noise.
TEST(PretrainStage, Bf16FollowsTheFp32LossCurve) {
  auto dir = test::temp_dir("pretrain-bf16");
  auto recipe = write_recipe(dir).string();
  auto fp32 = run_forge({"run", recipe, "--run-dir", (dir / "fp32").string(), "~sample"}, dir);
  ASSERT_EQ(fp32.exit_code, 0) << fp32.output;
  auto bf16 = run_forge(
      {"run", recipe, "--run-dir", (dir / "bf16").string(), "~sample", "precision=bf16"}, dir);
  ASSERT_EQ(bf16.exit_code, 0) << bf16.output;
  EXPECT_NE(bf16.output.find("precision: bf16 weights, activations and gradients; f32 master"),
            std::string::npos)
      << bf16.output;
  auto a = read_jsonl(dir / "fp32" / "metrics.jsonl");
  auto b = read_jsonl(dir / "bf16" / "metrics.jsonl");
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    EXPECT_NEAR(b[i]["loss"].get<double>(), a[i]["loss"].get<double>(),
                0.03 * a[i]["loss"].get<double>())
        << "step " << a[i]["step"];
  EXPECT_NEAR(b.back()["val_loss"].get<double>(), a.back()["val_loss"].get<double>(),
              0.03 * a.back()["val_loss"].get<double>());
  EXPECT_LT(b.back()["loss"].get<double>(), b.front()["loss"].get<double>() - 1.0);
  // Its checkpoint is an f32 one, which fp32 tools read as they read any.
  CheckpointReader reader(dir / "bf16" / "checkpoints" / "step-00000040.h5");
  EXPECT_EQ(reader.info("/model/transformer.wte.weight").type, ArrayType::f32);
  auto sampled = run_forge({"sample", (dir / "bf16" / "checkpoints" / "step-00000040.h5").string(),
                            "--prompt", "The ", "--max-tokens", "8"},
                           dir);
  EXPECT_EQ(sampled.exit_code, 0) << sampled.output;
}

TEST(PretrainStage, StopsOnANanLossNamingTheStep) {
  auto dir = test::temp_dir("pretrain-nan");
  auto recipe = write_recipe(dir, std::string("plugin_paths: ['") + FORGE_FIXTURE_DIR +
                                      "/nan_loss']\n" + "loss: {plugin: fixture_nan, after: 6}\n");
  auto result = run_forge({"run", recipe.string(), "--run-dir", (dir / "run").string()}, dir);
  EXPECT_EQ(result.exit_code, 1) << result.output;
  // Two micro-batches a step: the seventh call is in step 4.
  EXPECT_NE(result.output.find("step 4: the loss is nan"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("Lower optimizer.lr"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(test::read_text(dir / "run" / "run.json"))["status"], "failed");
}

TEST(PretrainStage, RefusesBadSettingsBeforeStarting) {
  auto dir = test::temp_dir("pretrain-errors");
  auto recipe = write_recipe(dir).string();
  struct Case {
    std::vector<std::string> args;
    std::string expected;
  };
  std::vector<Case> cases = {
      {{"optimiser.lr=1"}, "optimiser: unknown key 'optimiser'; did you mean 'optimizer'?"},
      {{"model.n_layr=1"}, "model.n_layr: unknown key 'n_layr'; did you mean 'n_layer'?"},
      {{"train.batch_tokens=100"},
       "train.batch_tokens: 100 is not a multiple of micro_batch * "
       "seq_len = 128; try 128"},
      {{"train.seq_len=64"}, "sequences of 64 tokens exceed the model's context of 32"},
      {{"optimizer.betas=[0.9]"}, "optimizer.betas: expected two numbers in [0, 1)"},
      {{"data.train.plugin=jsonl", "data.train.paths=[x.jsonl]"}, "gives documents, not tokens"},
      {{"device=cuda"}, "device cuda was asked for"},
      {{"precision=fp16"}, "precision: "},
      {{"precision=bf16", "train.data_parallel=zero1"},
       "precision: bf16 with train.data_parallel: zero1 is not built"},
      {{"sample.plugin=greedy", "sample.temperature=1"},
       "sample.temperature: unknown key 'temperature'"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"run", recipe, "--run-dir", (dir / "never").string()};
    args.insert(args.end(), c.args.begin(), c.args.end());
    auto result = run_forge(args, dir);
    EXPECT_EQ(result.exit_code, 2) << c.args[0] << ": " << result.output;
    EXPECT_NE(result.output.find(c.expected), std::string::npos)
        << c.args[0] << ": " << result.output;
    EXPECT_FALSE(fs::exists(dir / "never")) << c.args[0] << " created the run directory";
  }
  // A misspelt key in the file itself names its line and column.
  std::string text = test::read_text(recipe);
  text.replace(text.find("optimizer:"), 10, "optimiser:");
  test::write_text(dir / "typo.yaml", text);
  auto typo = run_forge({"validate", (dir / "typo.yaml").string()}, dir);
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.output.find("typo.yaml:8:1: optimiser: unknown key 'optimiser'; did you mean "
                             "'optimizer'?"),
            std::string::npos)
      << typo.output;
}

// Recomputing the blocks in backward trades time for memory and changes nothing else.
TEST(PretrainStage, RecomputedActivationsTrainTheSameModel) {
  auto dir = test::temp_dir("pretrain-recompute");
  auto recipe = write_recipe(dir).string();
  const std::vector<std::string> shorter = {"train.steps=20", "~sample", "checkpoint.every=0"};
  auto args = [&](const std::string& run, bool recompute) {
    std::vector<std::string> out = {"run", recipe, "--run-dir", (dir / run).string()};
    out.insert(out.end(), shorter.begin(), shorter.end());
    if (recompute) out.push_back("train.recompute=true");
    return out;
  };
  auto kept = run_forge(args("kept", false), dir);
  ASSERT_EQ(kept.exit_code, 0) << kept.output;
  auto recomputed = run_forge(args("recomputed", true), dir);
  ASSERT_EQ(recomputed.exit_code, 0) << recomputed.output;
  EXPECT_NE(recomputed.output.find("activations recomputed in backward"), std::string::npos)
      << recomputed.output;
  auto a = read_jsonl(dir / "kept" / "metrics.jsonl");
  auto b = read_jsonl(dir / "recomputed" / "metrics.jsonl");
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    EXPECT_EQ(a[i]["loss"], b[i]["loss"]) << "step " << a[i]["step"];
  expect_same_arrays(dir / "kept" / "checkpoints" / "step-00000020.h5",
                     dir / "recomputed" / "checkpoints" / "step-00000020.h5");
}

}  // namespace
}  // namespace forge
