// The knowledge_probe stage: questions sampled k times, refusals for what the model gets wrong,
// a report against the data's own labels, and a located error for questions without answers.
#include "support/test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace forge {
namespace {

namespace fs = std::filesystem;
using test::run_forge;

TEST(KnowledgeProbeStage, TurnsWhatTheModelGetsWrongIntoRefusals) {
  auto dir = test::temp_dir("knowledge-probe");
  const fs::path init = test::pretrain_tiny(dir, test::kChatSpecialTokens, 96);
  test::write_text(dir / "probe.yaml",
                   "stage: knowledge_probe\nname: probe\ninit: " + init.string() +
                       "\n"
                       "data: [{plugin: fact_questions, count: 4, people: 20, test_fraction: 0}]\n"
                       "samples: 3\nmax_tokens: 12\n");
  auto probe = run_forge({"run", "probe.yaml", "--run-dir", "probe"}, dir);
  ASSERT_EQ(probe.exit_code, 0) << probe.output;
  // One step of training knows none of the facts: every question becomes a refusal.
  EXPECT_NE(probe.output.find("probe: 4 questions, 0 known"), std::string::npos) << probe.output;
  auto report = nlohmann::json::parse(test::read_text(dir / "probe" / "report.json"));
  EXPECT_EQ(report["refusals"], 4);
  EXPECT_TRUE(report.contains("agreement_with_data"));
  std::ifstream chats(dir / "probe" / "conversations.jsonl");
  int count = 0;
  for (std::string line; std::getline(chats, line); ++count) {
    auto messages = nlohmann::json::parse(line)["messages"];
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_NE(messages[1]["content"].get<std::string>().find("know"), std::string::npos);
  }
  EXPECT_EQ(count, 4);
  std::ifstream results(dir / "probe" / "results.jsonl");
  std::string first;
  std::getline(results, first);
  EXPECT_EQ(nlohmann::json::parse(first)["replies"].size(), 3u);

  // The probe's chats feed the sft stage as they are.
  test::write_text(
      dir / "sft.yaml",
      "stage: sft\nname: sft\ninit: " + init.string() +
          "\n"
          "data:\n  train: [{plugin: conversations, paths: [probe/conversations.jsonl]}]\n"
          "train: {steps: 1, micro_batch: 1}\n");
  EXPECT_EQ(run_forge({"run", "sft.yaml", "--run-dir", "sft"}, dir).exit_code, 0);

  auto no_answers = run_forge(
      {"run", "probe.yaml", "data=[{plugin: identity_chats, count: 1}]", "--run-dir", "bad"}, dir);
  EXPECT_EQ(no_answers.exit_code, 1);
  EXPECT_NE(no_answers.output.find("has no metadata.answer"), std::string::npos)
      << no_answers.output;
}

}  // namespace
}  // namespace forge
