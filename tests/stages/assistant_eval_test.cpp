// Scoring replies, and the assistant_eval stage end to end on a tiny fine-tuned checkpoint.
#include "stages/assistant_eval/reply_scoring.h"
#include "support/test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace forge {
namespace {

namespace fs = std::filesystem;
using test::run_forge;

TEST(ReplyScoring, FinalMatchIgnoresCaseAndSpacingContainsNeedsEveryString) {
  ReplyCheck final;
  EXPECT_TRUE(reply_correct(final, "The letter 'r'  appears 3 times.\n",
                            "the letter 'r' appears 3 times."));
  EXPECT_FALSE(
      reply_correct(final, "The letter 'r' appears 2 times.", "The letter 'r' appears 3 times."));
  ReplyCheck contains{"contains", {"Forge", "the Forge project"}};
  EXPECT_TRUE(reply_correct(contains, "I'm Forge, built by the Forge project.", ""));
  EXPECT_FALSE(reply_correct(contains, "I'm Forge.", ""));
  EXPECT_EQ(final_reply({{"user", "q"},
                         {"assistant", "", {{"python", "1"}}},
                         {"tool", "1"},
                         {"assistant", "one"}}),
            "one");
  EXPECT_EQ(final_reply({{"user", "q"}}), "");
  EXPECT_TRUE(holds_answer("The letter 'k' appears 2 times in \"bookkeepr\".", "2"));
  EXPECT_FALSE(holds_answer("It appears 12 times.", "2"));
  EXPECT_TRUE(holds_answer("No: 9.11 is smaller than 9.9.", "no"));
  EXPECT_FALSE(holds_answer("Nothing is smaller.", "No"));
  EXPECT_TRUE(holds_answer("\"banana\" backwards is \"ananab\".", "ananab"));
  EXPECT_FALSE(holds_answer("anything", ""));
}

TEST(AssistantEvalStage, AnswersHeldOutChatsWithToolsAndReports) {
  auto dir = test::temp_dir("assistant-eval");
  const fs::path init = test::pretrain_tiny(dir);
  test::write_text(dir / "sft.yaml", "stage: sft\nname: sft\ninit: " + init.string() +
                                         "\n"
                                         "data:\n  train: [{plugin: letter_questions, count: 50}]\n"
                                         "train: {steps: 3, micro_batch: 2}\n");
  auto sft = run_forge({"run", "sft.yaml", "--run-dir", "sft"}, dir);
  ASSERT_EQ(sft.exit_code, 0) << sft.output;
  test::write_text(dir / "eval.yaml",
                   "stage: assistant_eval\nname: eval\ninit: sft/checkpoints/step-00000003.h5\n"
                   "data:\n"
                   "  - {plugin: letter_questions, split: test, count: 3}\n"
                   "  - {plugin: identity_chats, split: test, count: 2, match: contains, "
                   "contains: [Forge]}\n"
                   "tools: [{plugin: calculator}]\nmax_tokens: 8\n");
  auto eval = run_forge({"run", "eval.yaml", "--run-dir", "eval"}, dir);
  ASSERT_EQ(eval.exit_code, 0) << eval.output;
  EXPECT_NE(eval.output.find("letter_questions[0]: 3 chats"), std::string::npos) << eval.output;
  auto report = nlohmann::json::parse(test::read_text(dir / "eval" / "report.json"));
  EXPECT_EQ(report["letter_questions[0]"]["conversations"], 3);
  EXPECT_EQ(report["identity_chats[1]"]["conversations"], 2);
  EXPECT_DOUBLE_EQ(report["letter_questions[0]"]["reference_used_tool"].get<double>(), 1.0);
  // Eight tokens cannot hold a whole reply: no turn ends, so none is well formed or correct.
  EXPECT_DOUBLE_EQ(report["letter_questions[0]"]["well_formed"].get<double>(), 0.0);
  std::ifstream results(dir / "eval" / "results.jsonl");
  int rows = 0;
  for (std::string line; std::getline(results, line); ++rows) {
    auto row = nlohmann::json::parse(line);
    EXPECT_EQ(row["finish"], "length");
    EXPECT_FALSE(row["correct"].get<bool>());
    // The lesson's labels come along, its messages do not.
    EXPECT_FALSE(row["metadata"].contains("messages")) << line;
    if (row["set"] == "letter_questions[0]") EXPECT_TRUE(row["metadata"].contains("answer"));
  }
  EXPECT_EQ(rows, 5);
  auto bad = run_forge({"run", "eval.yaml", "data[1].contains=[]", "--run-dir", "bad"}, dir);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("match: contains needs at least one string"), std::string::npos)
      << bad.output;
  // Validation finds it too, before the checkpoint is read (here there is none).
  auto validated =
      run_forge({"validate", "eval.yaml", "data[1].contains=[]", "init=nowhere.h5"}, dir);
  EXPECT_EQ(validated.exit_code, 2);
  EXPECT_NE(validated.output.find("data[1].contains: match: contains needs at least one string"),
            std::string::npos)
      << validated.output;
}

}  // namespace
}  // namespace forge
