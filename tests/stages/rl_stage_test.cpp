// The rl stage end to end through the `forge` executable on a tiny checkpoint: rollouts,
// rewards, clipped updates against a reference, held-out pass@k, checkpoints, an exact resume,
// rejection sampling, and errors found before anything starts.
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

// A tiny checkpoint and problems; `numeric` with a huge tolerance counts any reply holding a
// number as correct, so that an untrained model's groups still differ.
fs::path rl_recipe(const fs::path& dir, const fs::path& init) {
  std::string problems;
  for (int n = 0; n < 12; ++n)
    problems += "{\"prompt\": \"What is " + std::to_string(n) +
                " plus 1?\", \"answer\": " + std::to_string(n + 1) + "}\n";
  test::write_text(dir / "train.jsonl", problems);
  test::write_text(dir / "test.jsonl",
                   "{\"question\": \"What is 20 plus 1?\", \"answer\": \"20 + 1 = 21\\n#### 21\"}\n"
                   "{\"prompt\": \"What is 30 plus 1?\", \"answer\": 31}\n");
  test::write_text(dir / "rl.yaml",
                   "stage: rl\nname: rl\ninit: " + init.string() +
                       "\n"
                       "data:\n"
                       "  train: [{plugin: problems, paths: [train.jsonl]}]\n"
                       "  test: [{plugin: problems, paths: [test.jsonl]}]\n"
                       "rewards:\n"
                       "  - {plugin: numeric, abs_tol: 1.0e9}\n"
                       "  - {plugin: format, weight: 0.1}\n"
                       "rl: {prompts: 3, group_size: 4, max_tokens: 24, epochs: 2}\n"
                       "loss: {plugin: policy_gradient, kl_coef: 0.1}\n"
                       "optimizer: {lr: 1.0e-3}\n"
                       "train: {steps: 3, micro_batch: 5}\n"
                       "eval: {every: 2, samples: 2, k: [1, 2]}\n"
                       "checkpoint: {every: 1, keep: 0}\n");
  return dir / "rl.yaml";
}

TEST(RlStage, TrainsOnRolloutsEvaluatesAndResumesExactly) {
  auto dir = test::temp_dir("rl-run");
  fs::path init = test::pretrain_tiny(dir, test::kChatSpecialTokens, 128);
  auto recipe = rl_recipe(dir, init);
  auto run = dir / "run";
  auto result = run_forge({"run", recipe.string(), "--run-dir", run.string()}, dir);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("data.train[0] (problems): 12 problems"), std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("held-out pass@1"), std::string::npos) << result.output;
  std::vector<nlohmann::json> metrics = read_jsonl(run / "metrics.jsonl");
  ASSERT_EQ(metrics.size(), 4u);  // the evaluation before step 1, then every step
  EXPECT_EQ(metrics[0]["step"], 0);
  EXPECT_TRUE(metrics[0].contains("pass@2") && metrics[0].contains("greedy_pass@1"));
  EXPECT_TRUE(metrics[2].contains("pass@1")) << "step 2 evaluates (every: 2)";
  EXPECT_TRUE(metrics[3].contains("pass@1")) << "and the last step";
  bool trained = false;
  for (std::size_t i = 1; i < metrics.size(); ++i) {
    const nlohmann::json& m = metrics[i];
    EXPECT_EQ(m["step"], i);
    for (const char* key : {"reward", "correct", "response_tokens", "well_formed",
                            "groups_with_signal", "reward/numeric", "reward/format"})
      EXPECT_TRUE(m.contains(key)) << key << " in " << m.dump();
    EXPECT_GT(m["response_tokens"].get<double>(), 0.0);
    if (m["updates"] == 2) {  // two epochs over one mini-batch
      trained = true;
      for (const char* key : {"kl", "clip_fraction", "ratio", "grad_norm", "loss"})
        EXPECT_TRUE(m.contains(key)) << key << " in " << m.dump();
      EXPECT_GE(m["kl"].get<double>(), 0.0);
    }
  }
  EXPECT_TRUE(trained) << "no step had a group whose rewards differed";
  EXPECT_EQ(read_jsonl(run / "samples.jsonl").size(), 3u);
  ASSERT_TRUE(fs::exists(run / "checkpoints" / "step-00000003.h5"));
  nlohmann::json report = nlohmann::json::parse(test::read_text(run / "report.json"));
  EXPECT_EQ(report["before"]["step"], 0);
  EXPECT_EQ(report["after"]["step"], 3);
  EXPECT_NE(test::read_text(run / "report.md").find("| 3 |"), std::string::npos);

  // Interrupted after step 2: resuming from its checkpoint redoes step 3 exactly.
  auto copy = dir / "copy";
  fs::copy(run, copy, fs::copy_options::recursive);
  fs::remove(copy / "checkpoints" / "step-00000003.h5");
  nlohmann::json status = nlohmann::json::parse(test::read_text(copy / "run.json"));
  status["status"] = "failed";
  test::write_text(copy / "run.json", status.dump());
  auto resumed = run_forge({"resume", copy.string()}, dir);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("at step 2 of 3"), std::string::npos) << resumed.output;
  std::vector<nlohmann::json> again = read_jsonl(copy / "metrics.jsonl");
  ASSERT_EQ(again.size(), 4u);
  for (const char* key : {"reward", "correct", "response_tokens", "loss", "pass@1"})
    if (metrics[3].contains(key)) EXPECT_EQ(again[3][key], metrics[3][key]) << key;
}

TEST(RlStage, RejectionSamplingFineTunesOnTheCorrectSamplesOnly) {
  auto dir = test::temp_dir("rl-rejection");
  fs::path init = test::pretrain_tiny(dir, test::kChatSpecialTokens, 128);
  auto recipe = rl_recipe(dir, init);
  auto run = dir / "run";
  auto result =
      run_forge({"run", recipe.string(), "--run-dir", run.string(), "rl.mode=rejection_sampling",
                 "~loss", "rl.epochs=1", "train.steps=2", "eval.every=0", "eval.at_start=false"},
                dir);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  std::vector<nlohmann::json> metrics = read_jsonl(run / "metrics.jsonl");
  ASSERT_EQ(metrics.size(), 2u);
  for (const nlohmann::json& m : metrics) {
    // Every correct sample trains, nothing else: the share of correct ones times 12 samples.
    EXPECT_NEAR(m["trained_samples"].get<double>(), m["correct"].get<double>() * 12, 1e-9);
    if (m["trained_samples"] > 0) {
      EXPECT_GT(m["loss"].get<double>(), 0.0) << "cross_entropy of the kept samples";
      EXPECT_FALSE(m.contains("clip_fraction"));
    }
  }
}

TEST(RlStage, BadRecipesFailBeforeAnythingStarts) {
  auto dir = test::temp_dir("rl-errors");
  fs::path init = test::pretrain_tiny(dir, test::kChatSpecialTokens, 128);
  auto recipe = rl_recipe(dir, init);
  auto no_check = run_forge({"run", recipe.string(), "rewards=[{plugin: format}]"}, dir);
  EXPECT_EQ(no_check.exit_code, 2);
  EXPECT_NE(no_check.output.find("no reward checks an answer"), std::string::npos)
      << no_check.output;
  test::write_text(dir / "bad.jsonl", "{\"prompt\": \"hi\", \"answer\": 1}\n{\"prompt\": \"x\"}\n");
  auto no_answer = run_forge({"run", recipe.string(), "data.train.0.paths=[bad.jsonl]"}, dir);
  EXPECT_EQ(no_answer.exit_code, 2);
  EXPECT_NE(no_answer.output.find("bad.jsonl:2: no 'answer'"), std::string::npos)
      << no_answer.output;
  test::write_text(dir / "long.jsonl",
                   "{\"prompt\": \"" + std::string(200, 'x') + "\", \"answer\": 1}\n");
  auto too_long = run_forge({"run", recipe.string(), "data.train.0.paths=[long.jsonl]"}, dir);
  EXPECT_EQ(too_long.exit_code, 2);
  EXPECT_NE(too_long.output.find("leaving no room to answer"), std::string::npos)
      << too_long.output;
  auto bad_k = run_forge({"run", recipe.string(), "eval.k=[3]"}, dir);
  EXPECT_EQ(bad_k.exit_code, 2);
  EXPECT_NE(bad_k.output.find("pass@3 needs a whole k from 1 to eval.samples = 2"),
            std::string::npos)
      << bad_k.output;
  auto wrong_loss = run_forge(
      {"run", recipe.string(), "rl.mode=rejection_sampling", "loss={plugin: policy_gradient}"},
      dir);
  EXPECT_EQ(wrong_loss.exit_code, 2);
  EXPECT_NE(wrong_loss.output.find("not policy_gradient"), std::string::npos) << wrong_loss.output;
}

}  // namespace
}  // namespace forge
