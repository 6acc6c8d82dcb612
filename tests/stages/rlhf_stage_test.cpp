// The rlhf stage end to end through the `forge` executable on a tiny checkpoint: a reward
// model trained from rankings scores the rollouts, the judge and the KL are measured on held-out
// prompts, the run resumes, and the monitor stops a run whose judge falls while the reward
// model's score does not.
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

std::string prompt_line(const std::string& id, const std::string& text) {
  nlohmann::json line = {
      {"id", id}, {"text", text}, {"messages", {{{"role", "user"}, {"content", text}}}}};
  return line.dump() + "\n";
}

// A tiny chat checkpoint, a reward model trained from it for a few steps on rankings that
// prefer longer replies, and prompts.
struct RlhfFixture {
  fs::path dir, init, reward_model;
};

RlhfFixture make_fixture(const std::string& name) {
  RlhfFixture f;
  f.dir = test::temp_dir(name);
  f.init = test::pretrain_tiny(f.dir);
  std::string rankings;
  for (int n = 0; n < 8; ++n) {
    nlohmann::json line = {{"id", "r" + std::to_string(n)},
                           {"text", "Say amen."},
                           {"messages", {{{"role", "user"}, {"content", "Say amen."}}}},
                           {"responses", {"amen amen amen", "amen", "amen amen"}},
                           {"ranking", {0, 2, 1}}};
    rankings += line.dump() + "\n";
  }
  test::write_text(f.dir / "rankings.jsonl", rankings);
  test::write_text(f.dir / "rm.yaml", "stage: reward_model\nname: rm\ninit: " + f.init.string() +
                                          "\ndata: {train: [{plugin: jsonl, paths: "
                                          "[rankings.jsonl]}]}\ntrain: {steps: 2, rankings: 4}\n"
                                          "checkpoint: {every: 2}\n");
  auto rm =
      run_forge({"run", (f.dir / "rm.yaml").string(), "--run-dir", (f.dir / "rm").string()}, f.dir);
  EXPECT_EQ(rm.exit_code, 0) << rm.output;
  f.reward_model = f.dir / "rm" / "checkpoints" / "step-00000002.h5";
  std::string train, test;
  for (int n = 0; n < 6; ++n)
    train += prompt_line("p" + std::to_string(n), "Say amen " + std::to_string(n) + ".");
  test = prompt_line("t0", "Say amen twice.") + prompt_line("t1", "Say amen thrice.");
  test::write_text(f.dir / "train.jsonl", train);
  test::write_text(f.dir / "test.jsonl", test);
  test::write_text(f.dir / "rlhf.yaml", "stage: rlhf\nname: rlhf\ninit: " + f.init.string() +
                                            "\nreward_model: " + f.reward_model.string() +
                                            "\n"
                                            "data:\n"
                                            "  train: [{plugin: jsonl, paths: [train.jsonl]}]\n"
                                            "  test: [{plugin: jsonl, paths: [test.jsonl]}]\n"
                                            "judge: [{plugin: format, weight: 1.0}]\n"
                                            "rl: {prompts: 2, group_size: 3, max_tokens: 16}\n"
                                            "loss: {plugin: policy_gradient, kl_coef: 0.05}\n"
                                            "optimizer: {lr: 1.0e-3}\n"
                                            "train: {steps: 4, micro_batch: 6}\n"
                                            "eval: {every: 2, samples: 2}\n"
                                            "checkpoint: {every: 1, keep: 0}\n");
  return f;
}

TEST(RlhfStage, OptimisesTheRewardModelsScoresAndMeasuresTheJudgeAndKl) {
  RlhfFixture f = make_fixture("rlhf-run");
  auto run = f.dir / "run";
  auto result =
      run_forge({"run", (f.dir / "rlhf.yaml").string(), "--run-dir", run.string()}, f.dir);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("data.train[0] (jsonl): 6 prompts"), std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("held-out reward model"), std::string::npos) << result.output;
  std::vector<nlohmann::json> metrics = read_jsonl(run / "metrics.jsonl");
  ASSERT_EQ(metrics.size(), 5u);  // the evaluation before step 1, then every step
  for (std::size_t i : {0u, 2u, 4u})
    for (const char* key :
         {"rm_score", "judge_score", "kl", "eval_response_tokens", "judge/format"})
      EXPECT_TRUE(metrics[i].contains(key)) << key << " at record " << i;
  EXPECT_NEAR(metrics[0]["kl"].get<double>(), 0.0, 1e-6) << "the policy starts as the reference";
  for (std::size_t i = 1; i < metrics.size(); ++i) {
    for (const char* key : {"reward", "judge", "judge/format", "response_tokens", "loss", "kl"})
      EXPECT_TRUE(metrics[i].contains(key)) << key << " at step " << i;
    EXPECT_FALSE(metrics[i].contains("correct"));
  }
  nlohmann::json report = nlohmann::json::parse(test::read_text(run / "report.json"));
  EXPECT_EQ(report["after"]["step"], 4);
  EXPECT_TRUE(report["after"].contains("judge_score"));
  EXPECT_NE(test::read_text(run / "report.md").find("rm_score"), std::string::npos);
  nlohmann::json status = nlohmann::json::parse(test::read_text(run / "run.json"));
  EXPECT_EQ(status["status"], "complete");
  EXPECT_FALSE(status.contains("stopped_early"));

  // Interrupted after step 3: resuming redoes step 4 exactly.
  auto copy = f.dir / "copy";
  fs::copy(run, copy, fs::copy_options::recursive);
  fs::remove(copy / "checkpoints" / "step-00000004.h5");
  status["status"] = "failed";
  test::write_text(copy / "run.json", status.dump());
  auto resumed = run_forge({"resume", copy.string()}, f.dir);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  std::vector<nlohmann::json> again = read_jsonl(copy / "metrics.jsonl");
  ASSERT_EQ(again.size(), 5u);
  for (const char* key : {"reward", "judge", "loss", "rm_score", "judge_score", "kl"})
    EXPECT_EQ(again[4][key], metrics[4][key]) << key;
}

TEST(RlhfStage, TheMonitorStopsARunWhoseJudgeKeepsFalling) {
  RlhfFixture f = make_fixture("rlhf-monitor");
  auto run = f.dir / "run";
  // The fixture judge scores lower at every call; min_rise -1e9 counts any reward model score
  // as rising, so the second evaluation (step 2) already completes a window of 2.
  auto result =
      run_forge({"run", (f.dir / "rlhf.yaml").string(), "--run-dir", run.string(), "eval.every=1",
                 "judge=[{plugin: fixture_declining_judge}]",
                 "plugin_paths=['" + std::string(FORGE_FIXTURE_DIR) + "/declining_judge']",
                 "monitor={window: 2, min_rise: -1.0e9, min_fall: 0.0}"},
                f.dir);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("reward hacking: from step 0 to 1"), std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("stopping the run"), std::string::npos) << result.output;
  nlohmann::json status = nlohmann::json::parse(test::read_text(run / "run.json"));
  EXPECT_EQ(status["status"], "complete");
  EXPECT_NE(status.value("stopped_early", "").find("reward hacking"), std::string::npos);
  EXPECT_TRUE(fs::exists(run / "checkpoints" / "step-00000001.h5"));
  EXPECT_FALSE(fs::exists(run / "checkpoints" / "step-00000002.h5"));
  nlohmann::json report = nlohmann::json::parse(test::read_text(run / "report.json"));
  EXPECT_NE(report.value("stopped_early", "").find("reward hacking"), std::string::npos);
  EXPECT_NE(test::read_text(run / "report.md").find("stopped_early"), std::string::npos);

  // With action flag the same run goes on to its last step, the evaluations marked.
  auto flagged = f.dir / "flagged";
  auto flag = run_forge({"run", (f.dir / "rlhf.yaml").string(), "--run-dir", flagged.string(),
                         "eval.every=1", "judge=[{plugin: fixture_declining_judge}]",
                         "plugin_paths=['" + std::string(FORGE_FIXTURE_DIR) + "/declining_judge']",
                         "monitor={action: flag, window: 2, min_rise: -1.0e9, min_fall: 0.0}"},
                        f.dir);
  ASSERT_EQ(flag.exit_code, 0) << flag.output;
  std::vector<nlohmann::json> metrics = read_jsonl(flagged / "metrics.jsonl");
  ASSERT_EQ(metrics.size(), 5u);
  EXPECT_TRUE(metrics.back().contains("hacking"));
}

TEST(RlhfStage, BadRecipesFailBeforeAnythingStarts) {
  RlhfFixture f = make_fixture("rlhf-errors");
  auto recipe = (f.dir / "rlhf.yaml").string();
  auto plain = run_forge({"run", recipe, "reward_model=" + f.init.string()}, f.dir);
  EXPECT_EQ(plain.exit_code, 2);
  EXPECT_NE(plain.output.find("has no reward head"), std::string::npos) << plain.output;
  auto rejection = run_forge({"run", recipe, "rl.mode=rejection_sampling", "~loss"}, f.dir);
  EXPECT_EQ(rejection.exit_code, 2);
  EXPECT_NE(rejection.output.find("rlhf has no correct answers"), std::string::npos)
      << rejection.output;
  auto no_judge = run_forge({"run", recipe, "~judge"}, f.dir);
  EXPECT_EQ(no_judge.exit_code, 2);
  EXPECT_NE(no_judge.output.find("judge"), std::string::npos) << no_judge.output;
}

}  // namespace
}  // namespace forge
