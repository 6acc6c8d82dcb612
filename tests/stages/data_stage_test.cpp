#include "support/test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <thread>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace forge {
namespace {

namespace fs = std::filesystem;
using test::run_forge;

constexpr int kFiles = 40;

// kFiles files, each with two long paragraphs and a short one the length filter drops.
fs::path write_corpus(const fs::path& dir) {
  for (int i = 0; i < kFiles; ++i) {
    std::string text = "Document " + std::to_string(i) +
                       " opens with a paragraph that is long enough to be kept by the filter.\n\n"
                       "tiny\n\n"
                       "And it closes with another paragraph, also long enough to be kept.\n";
    char name[32];
    std::snprintf(name, sizeof name, "doc%03d.txt", i);
    test::write_text(dir / "corpus" / name, text);
  }
  return dir / "corpus";
}

fs::path write_recipe(const fs::path& dir, int delay_ms) {
  std::string recipe =
      "stage: data\nname: resumable\nworkers: 2\n"
      "plugin_paths: ['" +
      std::string(FORGE_FIXTURE_DIR) +
      "/slow']\n"
      "input: {plugin: text_files, paths: ['" +
      write_corpus(dir).string() +
      "/*.txt'], mode: paragraph}\n"
      "steps:\n"
      "  - {plugin: fixture_slow, milliseconds: " +
      std::to_string(delay_ms) +
      "}\n"
      "  - {plugin: length, min_chars: 20}\n"
      "output: {plugin: jsonl, path: output}\n";
  test::write_text(dir / "recipe.yaml", recipe);
  return dir / "recipe.yaml";
}

std::map<std::string, std::string> output_files(const fs::path& run_dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::directory_iterator(run_dir / "output"))
    files[entry.path().filename().string()] = test::read_text(entry.path());
  return files;
}

void expect_same_output(const fs::path& a, const fs::path& b) {
  auto files_a = output_files(a), files_b = output_files(b);
  std::vector<std::string> names_a, names_b;
  for (const auto& [name, content] : files_a) names_a.push_back(name);
  for (const auto& [name, content] : files_b) names_b.push_back(name);
  ASSERT_EQ(names_a, names_b);
  for (const auto& [name, content] : files_a)
    EXPECT_TRUE(content == files_b[name]) << name << " differs";
}

int done_markers(const fs::path& run_dir) {
  int count = 0;
  if (!fs::exists(run_dir / "tasks")) return 0;
  for (const auto& entry : fs::directory_iterator(run_dir / "tasks"))
    count += entry.path().string().ends_with(".done.json");
  return count;
}

// Counts without timings, which differ between runs.
nlohmann::json counts(const fs::path& run_dir) {
  auto stats = nlohmann::json::parse(test::read_text(run_dir / "stats.json"));
  std::function<void(nlohmann::json&)> strip = [&](nlohmann::json& j) {
    if (j.is_object()) {
      j.erase("seconds");
      for (auto& [key, value] : j.items()) strip(value);
    } else if (j.is_array()) {
      for (auto& value : j) strip(value);
    }
  };
  strip(stats);
  return stats;
}

TEST(DataStage, CountsEveryStepAndWritesEveryTask) {
  auto dir = test::temp_dir("data-counts");
  auto recipe = write_recipe(dir, 0);
  auto run_dir = dir / "run";
  auto result = run_forge({"run", recipe.string(), "--run-dir", run_dir.string()}, dir);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  auto stats = counts(run_dir);
  EXPECT_EQ(stats["tasks"], kFiles);
  EXPECT_EQ(stats["tasks_done"], kFiles);
  EXPECT_EQ(stats["read"]["kept"], 3 * kFiles);
  EXPECT_EQ(stats["steps"][1]["name"], "steps[1] length");
  EXPECT_EQ(stats["steps"][1]["in"], 3 * kFiles);
  EXPECT_EQ(stats["steps"][1]["dropped"]["too_short"], kFiles);
  EXPECT_EQ(stats["write"]["in"], 2 * kFiles);
  EXPECT_EQ(output_files(run_dir).size(), static_cast<std::size_t>(kFiles));
  // One metrics line per task.
  std::string metrics = test::read_text(run_dir / "metrics.jsonl");
  EXPECT_EQ(std::count(metrics.begin(), metrics.end(), '\n'), kFiles);
  auto env = nlohmann::json::parse(test::read_text(run_dir / "env.json"));
  for (const char* key : {"forge_version", "host", "cpu", "threads", "gpus", "git_commit"})
    EXPECT_TRUE(env.contains(key)) << key;
  EXPECT_NE(result.output.find("too_short 40"), std::string::npos) << result.output;
}

TEST(DataStage, AKilledRunResumesToTheSameOutput) {
  auto dir = test::temp_dir("data-resume");
  auto recipe = write_recipe(dir, 40);
  auto straight = dir / "straight";
  ASSERT_EQ(run_forge({"run", recipe.string(), "--run-dir", straight.string()}, dir).exit_code, 0);

  auto killed = dir / "killed";
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::chdir(dir.c_str());
    int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execl(FORGE_EXECUTABLE, "forge", "run", recipe.c_str(), "--run-dir", killed.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // Kill it once some, but not all, tasks have finished.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (done_markers(killed) < 6 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the run finished before it could be killed";
  int done = done_markers(killed);
  ASSERT_GE(done, 6);
  ASSERT_LT(done, kFiles) << "the run finished before it could be killed";

  auto resumed = run_forge({"resume", killed.string()}, dir);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find(std::to_string(done) + " already done"), std::string::npos)
      << resumed.output;
  expect_same_output(killed, straight);
  EXPECT_EQ(counts(killed), counts(straight));
  auto status_json = nlohmann::json::parse(test::read_text(killed / "run.json"));
  EXPECT_EQ(status_json["status"], "complete");

  auto again = run_forge({"resume", killed.string()}, dir);
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.output.find("already complete"), std::string::npos) << again.output;
}

TEST(DataStage, RanksSplitTheTasks) {
  auto dir = test::temp_dir("data-ranks");
  auto recipe = write_recipe(dir, 0);
  auto run_dir = dir / "run";
  for (int rank = 0; rank < 2; ++rank) {
    std::vector<std::string> env = {"FORGE_RANK=" + std::to_string(rank), "FORGE_WORLD_SIZE=2"};
    std::vector<std::string> args = {"run", recipe.string(), "--run-dir", run_dir.string()};
    if (rank == 1) args = {"resume", run_dir.string()};
    auto result = run_forge(args, dir, env);
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(done_markers(run_dir), kFiles / 2 * (rank + 1));
  }
  EXPECT_EQ(counts(run_dir)["tasks_done"], kFiles);
}

TEST(DataStage, AGlobMatchingNothingIsBadInput) {
  auto dir = test::temp_dir("data-no-input");
  auto recipe = write_recipe(dir, 0);
  auto result = run_forge(
      {"run", recipe.string(), "input.paths=[" + (dir / "nothing-here").string() + "/*.txt]"}, dir);
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("input.paths: no files match"), std::string::npos) << result.output;
  EXPECT_FALSE(fs::exists(dir / "runs"));
}

}  // namespace
}  // namespace forge
