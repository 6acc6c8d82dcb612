// Global steps in the data stage: exact and MinHash deduplication across tasks, the exclusion
// writer, several processes meeting at the pass between, and a killed run resuming exactly.
#include "support/test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <map>
#include <sstream>
#include <thread>

namespace forge {
namespace {

namespace fs = std::filesystem;
using test::run_forge;

constexpr int kFiles = 24;

// Each file: its own paragraph, a paragraph every file shares word for word, and a copy of
// one long paragraph with a single word changed (a near-duplicate, Jaccard about 0.85).
void write_corpus(const fs::path& dir) {
  std::string long_text;
  for (int w = 0; w < 120; ++w) long_text += "word" + std::to_string(w) + " ";
  for (int i = 0; i < kFiles; ++i) {
    std::string near = long_text;
    near.replace(near.find("word60 "), 7, "changed" + std::to_string(i) + " ");
    std::string text =
        "File " + std::to_string(i) +
        " has a paragraph of its very own, unique.\n\n"
        "This paragraph is the same in every file of the corpus, word for word.\n\n" +
        near + "\n";
    char name[32];
    std::snprintf(name, sizeof name, "doc%03d.txt", i);
    test::write_text(dir / "corpus" / name, text);
  }
}

fs::path write_recipe(const fs::path& dir, int delay_ms) {
  write_corpus(dir);
  test::write_text(dir / "dedup.yaml",
                   "stage: data\nname: dedup\nworkers: 2\n"
                   "plugin_paths: ['" +
                       std::string(FORGE_FIXTURE_DIR) +
                       "/slow']\n"
                       "input: {plugin: text_files, paths: ['corpus/*.txt'], mode: paragraph}\n"
                       "steps:\n"
                       "  - {plugin: exact_dedup}\n"
                       "  - {plugin: minhash_dedup}\n"
                       "  - {plugin: fixture_slow, milliseconds: " +
                       std::to_string(delay_ms) +
                       "}\n"
                       "output: {plugin: jsonl, path: output, compression: none}\n"
                       "exclusions: {plugin: jsonl, path: excluded, compression: none}\n");
  return dir / "dedup.yaml";
}

std::map<std::string, std::string> files_in(const fs::path& folder) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::directory_iterator(folder))
    files[entry.path().filename().string()] = test::read_text(entry.path());
  return files;
}

std::vector<nlohmann::json> lines_of(const fs::path& folder) {
  std::vector<nlohmann::json> out;
  for (const auto& [name, text] : files_in(folder)) {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
  }
  return out;
}

TEST(DataDedup, DropsCopiesAndNearCopiesAcrossTasksAndKeepsWhatWasDropped) {
  auto dir = test::temp_dir("dedup-run");
  auto recipe = write_recipe(dir, 0);
  auto result = run_forge({"run", recipe.string(), "--run-dir", "run"}, dir);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  auto stats = nlohmann::json::parse(test::read_text(dir / "run" / "stats.json"));
  EXPECT_EQ(stats["read"]["kept"], 3 * kFiles);
  EXPECT_EQ(stats["steps"][0]["dropped"]["duplicate"], kFiles - 1);
  EXPECT_EQ(stats["steps"][1]["in"], 2 * kFiles + 1);
  EXPECT_EQ(stats["steps"][1]["dropped"]["near_duplicate"], kFiles - 1);
  EXPECT_EQ(stats["write"]["in"], kFiles + 2);
  // The first file keeps its copies: the dataset's order decides which copy stays.
  auto kept = lines_of(dir / "run" / "output");
  int shared = 0;
  for (const auto& doc : kept)
    shared += doc["text"].get<std::string>().starts_with("This paragraph");
  EXPECT_EQ(shared, 1);
  auto excluded = lines_of(dir / "run" / "excluded");
  ASSERT_EQ(excluded.size(), 2u * (kFiles - 1));
  std::map<std::string, int> reasons;
  for (const auto& doc : excluded) reasons[doc["excluded"]["reason"]]++;  // jsonl flattens metadata
  EXPECT_EQ(reasons["duplicate"], kFiles - 1);
  EXPECT_EQ(reasons["near_duplicate"], kFiles - 1);
  EXPECT_NE(result.output.find("near_duplicate 23"), std::string::npos) << result.output;
  EXPECT_FALSE(fs::exists(dir / "run" / "passes")) << "a complete run keeps no pass files";
}

TEST(DataDedup, TwoProcessesMeetBetweenPassesAndWriteTheSameOutput) {
  auto dir = test::temp_dir("dedup-ranks");
  auto recipe = write_recipe(dir, 0);
  ASSERT_EQ(run_forge({"run", recipe.string(), "--run-dir", "alone"}, dir).exit_code, 0);
  // Rank 1 resumes the directory rank 0 creates; both run at once.
  auto rank0 = std::async(std::launch::async, [&] {
    return run_forge({"run", recipe.string(), "--run-dir", "pair"}, dir,
                     {"FORGE_RANK=0", "FORGE_WORLD_SIZE=2"});
  });
  for (int i = 0; i < 6000 && !fs::exists(dir / "pair" / "recipe.yaml"); ++i)  // 30 s at most
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto rank1 = run_forge({"resume", "pair"}, dir, {"FORGE_RANK=1", "FORGE_WORLD_SIZE=2"});
  auto first = rank0.get();
  ASSERT_EQ(first.exit_code, 0) << first.output;
  ASSERT_EQ(rank1.exit_code, 0) << rank1.output;
  EXPECT_EQ(files_in(dir / "pair" / "output"), files_in(dir / "alone" / "output"));
}

TEST(DataDedup, AKilledRunResumesToTheSameOutput) {
  auto dir = test::temp_dir("dedup-resume");
  auto recipe = write_recipe(dir, 30);
  ASSERT_EQ(run_forge({"run", recipe.string(), "--run-dir", "straight"}, dir).exit_code, 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::chdir(dir.c_str()) != 0) ::_exit(127);
    int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execl(FORGE_EXECUTABLE, "forge", "run", recipe.c_str(), "--run-dir", "killed",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // Kill it in the last pass, once a few of its tasks are done.
  auto markers = [&] {
    int count = 0;
    if (fs::exists(dir / "killed" / "tasks" / "pass-2"))
      for (const auto& entry : fs::directory_iterator(dir / "killed" / "tasks" / "pass-2"))
        count += entry.path().string().ends_with(".done.json");
    return count;
  };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (markers() < 3 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the run finished before it could be killed";
  ASSERT_LT(markers(), kFiles);
  auto resumed = run_forge({"resume", "killed"}, dir);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_EQ(files_in(dir / "killed" / "output"), files_in(dir / "straight" / "output"));
  EXPECT_EQ(files_in(dir / "killed" / "excluded"), files_in(dir / "straight" / "excluded"));
}

}  // namespace
}  // namespace forge
