// `forge sweep`, `forge runs`, `forge compare` and `forge report` from outside, on a tiny
// pretraining recipe that trains in a fraction of a second.
#include "support/test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <thread>

namespace forge {
namespace {

namespace fs = std::filesystem;
using test::run_forge;

const char* kTinyRecipe =
    "stage: pretrain\nname: sweep-tiny\nseed: 7\ndevice: cpu\n"
    "tokenizer: {plugin: bytes}\n"
    "data:\n  train: {plugin: text, paths: ['/usr/share/common-licenses/GPL-3']}\n"
    "  val: {plugin: text, paths: ['/usr/share/common-licenses/Apache-2.0']}\n"
    "model: {plugin: gpt2, n_layer: 1, n_head: 2, d_model: 16, context: 32}\n"
    "optimizer: {lr: 1.0e-3}\n"
    "train: {steps: 4, micro_batch: 2}\n"
    "eval: {every: 2, batches: 2}\n"
    "sample: {plugin: greedy, max_tokens: 8}\n";

const std::vector<std::string> kRunNames = {"lr=1e-3,n_layer=1", "lr=1e-3,n_layer=2",
                                            "lr=3e-3,n_layer=1", "lr=3e-3,n_layer=2"};

std::vector<std::string> sweep_args(const std::string& folder) {
  return {"sweep",       "tiny.yaml", "optimizer.lr=1e-3,3e-3", "model.n_layer=1,2", "--jobs", "2",
          "--sweep-dir", folder};
}

std::string status_of(const fs::path& run) {
  return nlohmann::json::parse(test::read_text(run / "run.json")).value("status", "");
}

std::size_t lines_in(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST(SweepCli, EveryExperimentCommandHasHelp) {
  for (const char* command : {"sweep", "runs", "compare", "report"}) {
    auto help = run_forge({command, "--help"});
    EXPECT_EQ(help.exit_code, 0) << command;
    EXPECT_NE(help.output.find(std::string("usage: forge ") + command), std::string::npos)
        << help.output;
  }
  EXPECT_NE(run_forge({"--help"}).output.find("  sweep RECIPE"), std::string::npos);
}

TEST(SweepCli, FourRunGridWithTwoJobsThenCompareWithHtml) {
  fs::path dir = test::temp_dir("sweep-grid");
  test::write_text(dir / "tiny.yaml", kTinyRecipe);
  auto sweep = run_forge(sweep_args("sw"), dir, {}, 600);
  ASSERT_EQ(sweep.exit_code, 0) << sweep.output;
  EXPECT_NE(sweep.output.find("4 runs in sw: 0 complete already, 4 to run, 2 at a time"),
            std::string::npos)
      << sweep.output;
  EXPECT_NE(sweep.output.find("[4/4]"), std::string::npos) << sweep.output;
  for (const std::string& name : kRunNames) {
    fs::path run = dir / "sw" / name;
    EXPECT_EQ(status_of(run), "complete") << name;
    EXPECT_TRUE(fs::exists(run / "report.html")) << "every run writes its report card";
    EXPECT_TRUE(fs::exists(run / "report.md"));
    EXPECT_TRUE(fs::exists(dir / "sw" / "logs" / (name + ".txt")));
  }
  nlohmann::json plan = nlohmann::json::parse(test::read_text(dir / "sw" / "sweep.json"));
  EXPECT_EQ(plan["runs"].size(), 4u);
  std::string summary = test::read_text(dir / "sw" / "summary.tsv");
  EXPECT_EQ(lines_in(summary), 5u) << summary;
  EXPECT_NE(summary.find("run\toptimizer.lr\tmodel.n_layer\tstatus"), std::string::npos) << summary;
  EXPECT_NE(summary.find("best val_loss"), std::string::npos) << summary;
  EXPECT_NE(test::read_text(dir / "sw" / "summary.md")
                .find("| lr=3e-3,n_layer=2 | 3e-3 | 2 | complete |"),
            std::string::npos);

  auto compare = run_forge({"compare", "sw", "--html", "compare.html"}, dir);
  ASSERT_EQ(compare.exit_code, 0) << compare.output;
  EXPECT_NE(compare.output.find("model.n_layer"), std::string::npos) << compare.output;
  EXPECT_NE(compare.output.find("optimizer.lr"), std::string::npos) << compare.output;
  EXPECT_NE(compare.output.find("best val_loss"), std::string::npos) << compare.output;
  EXPECT_EQ(compare.output.find("train.steps"), std::string::npos) << "only the keys that differ";
  std::string html = test::read_text(dir / "compare.html");
  EXPECT_NE(html.find("<svg class=\"parallel\""), std::string::npos);
  EXPECT_NE(html.find("<figure class=\"chart\" data-metric=\"val_loss\">"), std::string::npos);
  const std::string kSvgNamespace = "http://www.w3.org/2000/svg";
  for (std::size_t at = html.find(kSvgNamespace); at != std::string::npos;
       at = html.find(kSvgNamespace))
    html.erase(at, kSvgNamespace.size());
  EXPECT_EQ(html.find("http"), std::string::npos)
      << "nothing but the SVG namespace refers elsewhere";

  auto runs = run_forge({"runs", "sw"}, dir);
  ASSERT_EQ(runs.exit_code, 0) << runs.output;
  EXPECT_EQ(lines_in(runs.output), 5u) << runs.output;
  EXPECT_NE(runs.output.find("lr=1e-3,n_layer=2  sweep-tiny  pretrain  complete  4"),
            std::string::npos)
      << runs.output;

  auto report = run_forge({"report", "sw/" + kRunNames[0]}, dir);
  ASSERT_EQ(report.exit_code, 0) << report.output;
  EXPECT_NE(report.output.find("report.html"), std::string::npos);

  // An unfinished run (failed, or its folder gone) runs again; complete ones are left alone.
  std::string kept = test::read_text(dir / "sw" / kRunNames[0] / "run.json");
  nlohmann::json failed =
      nlohmann::json::parse(test::read_text(dir / "sw" / kRunNames[1] / "run.json"));
  failed["status"] = "failed";
  test::write_text(dir / "sw" / kRunNames[1] / "run.json", failed.dump());
  fs::remove_all(dir / "sw" / kRunNames[2]);
  auto again = run_forge(sweep_args("sw"), dir, {}, 600);
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("2 complete already, 2 to run"), std::string::npos) << again.output;
  EXPECT_EQ(test::read_text(dir / "sw" / kRunNames[0] / "run.json"), kept);
  for (const std::string& name : kRunNames) EXPECT_EQ(status_of(dir / "sw" / name), "complete");

  // Another plan in the same folder is refused.
  auto other =
      run_forge({"sweep", "tiny.yaml", "optimizer.lr=1e-2,3e-2", "--sweep-dir", "sw"}, dir);
  EXPECT_EQ(other.exit_code, 2) << other.output;
  EXPECT_NE(other.output.find("holds another sweep"), std::string::npos) << other.output;
  EXPECT_NE(other.output.find("--sweep-dir"), std::string::npos) << other.output;

  auto metric = run_forge({"compare", "sw", "--metric", "val_los"}, dir);
  EXPECT_EQ(metric.exit_code, 2);
  EXPECT_NE(metric.output.find("val_loss"), std::string::npos) << metric.output;
}

TEST(SweepCli, RandomSearchWithSeedsPlansWithoutRunning) {
  fs::path dir = test::temp_dir("sweep-random");
  test::write_text(dir / "tiny.yaml", kTinyRecipe);
  auto plan = run_forge({"sweep", "tiny.yaml", "optimizer.lr=1e-4,3e-4,1e-3,3e-3",
                         "model.n_layer=1,2,3", "--random", "3", "--seeds", "2", "--dry-run"},
                        dir);
  ASSERT_EQ(plan.exit_code, 0) << plan.output;
  EXPECT_NE(plan.output.find("sweep of 6 runs"), std::string::npos) << plan.output;
  EXPECT_NE(plan.output.find(",seed=2"), std::string::npos) << plan.output;
  EXPECT_NE(plan.output.find("runs/sweep-tiny/sweep-lr,n_layer"), std::string::npos) << plan.output;
  EXPECT_FALSE(fs::exists(dir / "runs")) << "a dry run makes nothing";
}

TEST(SweepCli, BadInputIsRefusedBeforeAnythingRuns) {
  fs::path dir = test::temp_dir("sweep-bad");
  test::write_text(dir / "tiny.yaml", kTinyRecipe);
  auto expect = [&](const std::vector<std::string>& args, const std::string& message) {
    auto result = run_forge(args, dir);
    EXPECT_EQ(result.exit_code, 2) << result.output;
    EXPECT_NE(result.output.find(message), std::string::npos) << result.output;
  };
  expect({"sweep", "missing.yaml", "optimizer.lr=1,2"}, "missing.yaml");
  expect({"sweep", "tiny.yaml", "optimizer.lr=1e-3,"}, "has an empty value");
  expect({"sweep", "tiny.yaml", "optimizer.lr=1,2", "--jobs", "0"}, "--jobs 0");
  expect({"sweep", "tiny.yaml", "train.steps=5"}, "nothing to sweep");
  expect({"sweep", "tiny.yaml", "model.n_layr=1,2"}, "sweep run 'n_layr=1'");
  test::write_text(dir / "not-a-run" / "notes.txt", "hello");
  expect({"compare", "not-a-run"}, "holds no run");
  test::write_text(dir / "half" / "run.json", "{\"status\": \"running\"}");
  expect({"compare", "half"}, "has no metrics.jsonl");
  expect({"report", "not-a-run"}, "no metrics.jsonl");
  EXPECT_FALSE(fs::exists(dir / "runs"));
}

// Starts `forge ARGS` in `cwd` and returns its pid; its output goes to `output`.
pid_t start_forge(const std::vector<std::string>& args, const fs::path& cwd,
                  const fs::path& output) {
  pid_t pid = fork();
  if (pid == 0) {
    if (chdir(cwd.c_str()) != 0) _exit(127);
    int out = open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out, 1);
    dup2(out, 2);
    std::vector<std::string> all = {FORGE_EXECUTABLE};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

bool process_mentions(const std::string& text) {
  for (const fs::directory_entry& entry : fs::directory_iterator("/proc")) {
    std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    if (test::read_text(entry.path() / "cmdline").find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(SweepCli, AKilledSweepRunsOnlyWhatHadNotFinished) {
  fs::path dir = test::temp_dir("sweep-killed");
  test::write_text(dir / "tiny.yaml", kTinyRecipe);
  const std::vector<std::string> args = {
      "sweep", "tiny.yaml", "train.steps=1,200,201", "--jobs", "1", "--sweep-dir", "killed"};
  pid_t pid = start_forge(args, dir, dir / "first.txt");
  ASSERT_GT(pid, 0);
  // Stop the sweep once its first run is complete, while the second one works.
  const fs::path first = dir / "killed" / "steps=1";
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(300);
  while (std::chrono::steady_clock::now() < deadline &&
         !(fs::exists(first / "run.json") && status_of(first) == "complete"))
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_EQ(status_of(first), "complete") << test::read_text(dir / "first.txt");
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << test::read_text(dir / "first.txt");
  EXPECT_EQ(WEXITSTATUS(status), 128 + SIGTERM) << test::read_text(dir / "first.txt");
  EXPECT_FALSE(process_mentions("killed/steps=")) << "the sweep's runs stop with it";
  std::vector<std::string> finished;
  for (const char* name : {"steps=1", "steps=200", "steps=201"})
    if (fs::exists(dir / "killed" / name / "run.json") &&
        status_of(dir / "killed" / name) == "complete")
      finished.push_back(name);
  ASSERT_LT(finished.size(), 3u) << "the sweep ended before it was stopped; nothing to resume";
  std::string kept = test::read_text(first / "run.json");

  auto again = run_forge(args, dir, {}, 600);
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find(std::to_string(finished.size()) + " complete already, " +
                              std::to_string(3 - finished.size()) + " to run"),
            std::string::npos)
      << again.output;
  EXPECT_EQ(again.output.find("started steps=1\n"), std::string::npos) << again.output;
  EXPECT_EQ(test::read_text(first / "run.json"), kept) << "a complete run is not run again";
  for (const char* name : {"steps=1", "steps=200", "steps=201"})
    EXPECT_EQ(status_of(dir / "killed" / name), "complete") << name;
}

}  // namespace
}  // namespace forge
