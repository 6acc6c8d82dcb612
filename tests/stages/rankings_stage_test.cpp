// The rankings stage: K responses per prompt from a checkpoint, scored by a hidden judge,
// ranked into the JSON Lines the rankings dataset reads; a resume that keeps finished splits;
// and bad recipes refused before any work.
#include <forge/dataset.h>

#include "stages/rankings/ranking_summary.h"
#include "support/test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>

namespace forge {
namespace {

namespace fs = std::filesystem;
using test::run_forge;

std::vector<Document> read_rankings(const fs::path& file) {
  auto dataset = test::make_plugin<Dataset>(cat("{plugin: rankings, path: '", file.string(), "'}"));
  std::vector<Document> docs;
  for (const std::string& shard : dataset->shards())
    dataset->read(shard, [&](Document&& d) {
      docs.push_back(std::move(d));
      return true;
    });
  return docs;
}

TEST(RankBestFirst, OrdersByScoreAndKeepsTiesInPlace) {
  EXPECT_EQ(rank_best_first({0.4, 1.2, 1.9, -0.3, 0.8}), (std::vector<std::size_t>{2, 1, 4, 0, 3}));
  EXPECT_EQ(rank_best_first({1, 2, 1, 2}), (std::vector<std::size_t>{1, 3, 0, 2}));
  RankingSummary summary;
  summary.add({"a b", "a b"}, {1, 3}, {"stop", "length"});
  summary.add({"x", "y z w"}, {0, 0}, {"stop", "stop"});
  nlohmann::json s = summary.to_json();
  EXPECT_EQ(s["prompts"], 2);
  EXPECT_DOUBLE_EQ(s["score_mean"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(s["identical_share"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(s["distinct_mean"].get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(s["reply_words_mean"].get<double>(), 2.0);
  EXPECT_DOUBLE_EQ(s["finished_share"].get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(s["score_spread_mean"].get<double>(), 1.0);
}

TEST(RankingsStage, RanksSampledResponsesIntoTheDatasetsFormat) {
  auto dir = test::temp_dir("rankings-stage");
  const fs::path init = test::pretrain_tiny(dir, test::kChatSpecialTokens, 128);
  test::write_text(dir / "verses" / "a.txt",
                   "Behold the Lamb of God.\nThe lamb shall be without blemish.\n"
                   "Water from the rock.\nThe king said, Bring me water.\nThe king is come.\n"
                   "A river went out of Eden.\nThe river of God is full of water.\n");
  const std::string lesson =
      cat("{plugin: verse_requests, path: '", (dir / "verses" / "*.txt").string(),
          "', min_verses: 1, test_fraction: 0.5, topics: [lamb, water, king, river, god, rock]");
  test::write_text(dir / "rank.yaml", "stage: rankings\nname: rank\ninit: " + init.string() +
                                          "\ndata:\n  train: [" + lesson + ", count: 6}]\n" +
                                          "  test: [" + lesson + ", count: 3, split: test}]\n" +
                                          "responses: 3\nmax_tokens: 12\nnoise: 0.1\n"
                                          "scorer: [{plugin: preference_judge, weight: 2}]\n");
  auto ranked = run_forge({"run", "rank.yaml", "--run-dir", "rank"}, dir);
  ASSERT_EQ(ranked.exit_code, 0) << ranked.output;
  EXPECT_NE(ranked.output.find("all responses identical in"), std::string::npos) << ranked.output;
  const fs::path run = dir / "rank";
  std::vector<Document> train = read_rankings(run / "rankings" / "train.jsonl");
  ASSERT_EQ(train.size(), 6u);
  ASSERT_EQ(read_rankings(run / "rankings" / "test.jsonl").size(), 3u);
  for (const Document& d : train) {
    ASSERT_EQ(d.metadata["responses"].size(), 3u) << d.id;
    ASSERT_EQ(d.metadata["scores"].size(), 3u) << d.id;
    EXPECT_TRUE(d.metadata["topic"].is_string()) << d.id;
    EXPECT_NE(d.text.find(d.metadata["topic"].get<std::string>()), std::string::npos);
    EXPECT_EQ(d.metadata["messages"].size(), 1u) << "the prompt only";
  }
  nlohmann::json report = nlohmann::json::parse(test::read_text(run / "report.json"));
  EXPECT_EQ(report["train"]["prompts"], 6);
  EXPECT_EQ(report["test"]["responses"], 9);

  // Without noise the ranking follows the scores.
  auto exact = run_forge({"run", "rank.yaml", "noise=0", "--run-dir", "exact"}, dir);
  ASSERT_EQ(exact.exit_code, 0) << exact.output;
  for (const Document& d : read_rankings(dir / "exact" / "rankings" / "train.jsonl")) {
    std::vector<double> scores = d.metadata["scores"].get<std::vector<double>>();
    EXPECT_EQ(d.metadata["ranking"].get<std::vector<std::size_t>>(), rank_best_first(scores));
  }

  // Interrupted before the test split: a resume keeps train and writes test exactly again.
  const std::string test_before = test::read_text(run / "rankings" / "test.jsonl");
  fs::remove(run / "rankings" / "test.jsonl");
  nlohmann::json status = nlohmann::json::parse(test::read_text(run / "run.json"));
  status["status"] = "failed";
  test::write_text(run / "run.json", status.dump());
  auto resumed = run_forge({"resume", run.string()}, dir);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("train: kept"), std::string::npos) << resumed.output;
  EXPECT_EQ(test::read_text(run / "rankings" / "test.jsonl"), test_before);

  // Bad recipes fail before any work, saying where.
  const std::vector<std::pair<std::vector<std::string>, std::string>> bad = {
      {{"responses=1"}, "responses"},
      {{"max_tokens=120"}, "passes the model's context of 128"},
      {{"data.train=[{plugin: identity_chats, count: 2}]"}, "cannot score prompt"},
      {{"scorer=[]"}, "scorer"},
      {{"nosie=0.1"}, "did you mean 'noise'"},
      {{"init=missing.h5"}, "init"},
  };
  for (const auto& [overrides, expected] : bad) {
    std::vector<std::string> args = {"run", "rank.yaml", "--run-dir", "bad"};
    args.insert(args.begin() + 2, overrides.begin(), overrides.end());
    auto failed = run_forge(args, dir);
    EXPECT_EQ(failed.exit_code, 2) << overrides[0] << ": " << failed.output;
    EXPECT_NE(failed.output.find(expected), std::string::npos)
        << overrides[0] << ": " << failed.output;
    EXPECT_FALSE(fs::exists(dir / "bad")) << overrides[0];
  }
}

}  // namespace
}  // namespace forge
