// The reward_model stage end to end through the `forge` executable: a tiny chat checkpoint
// learns a preference it can see (longer replies rank higher) to a high held-out pairwise
// accuracy, writes checkpoints that load as reward models, and bad rankings fail first.
#include <forge/chat.h>

#include "support/test_support.h"
#include "train/reward_model.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace forge {
namespace {

namespace fs = std::filesystem;
using test::read_jsonl;
using test::run_forge;

// Rankings of 4 replies of "amen" repeated 1 to 8 times, the longest best.
std::string rankings(int count, std::uint64_t seed) {
  std::string out;
  Generator g(seed);
  for (int n = 0; n < count; ++n) {
    nlohmann::json line;
    line["id"] = "r" + std::to_string(seed) + "-" + std::to_string(n);
    line["text"] = "Say amen.";
    line["messages"] = {{{"role", "user"}, {"content", "Say amen."}}};
    std::vector<int> lengths;
    while (lengths.size() < 4) {
      const int length = 1 + static_cast<int>(g.next_u64() % 8);
      if (std::find(lengths.begin(), lengths.end(), length) == lengths.end())
        lengths.push_back(length);
    }
    std::vector<std::string> responses;
    for (int length : lengths) {
      std::string reply;
      for (int i = 0; i < length; ++i) reply += i ? " amen" : "amen";
      responses.push_back(reply);
    }
    std::vector<int> order = {0, 1, 2, 3};
    std::sort(order.begin(), order.end(), [&](int a, int b) { return lengths[a] > lengths[b]; });
    line["responses"] = responses;
    line["ranking"] = order;
    out += line.dump() + "\n";
  }
  return out;
}

fs::path rm_recipe(const fs::path& dir, const fs::path& init) {
  test::write_text(dir / "train.jsonl", rankings(48, 1));
  test::write_text(dir / "test.jsonl", rankings(16, 2));
  test::write_text(dir / "rm.yaml", "stage: reward_model\nname: rm\ninit: " + init.string() +
                                        "\n"
                                        "data:\n"
                                        "  train: [{plugin: jsonl, paths: [train.jsonl]}]\n"
                                        "  test: [{plugin: jsonl, paths: [test.jsonl]}]\n"
                                        "optimizer: {lr: 3.0e-3}\n"
                                        "schedule: {warmup_steps: 2}\n"
                                        "train: {steps: 30, rankings: 8, micro_batch: 4}\n"
                                        "eval: {every: 15}\n"
                                        "checkpoint: {every: 15, keep: 0}\n");
  return dir / "rm.yaml";
}

TEST(RewardModelStage, LearnsAVisiblePreferenceAndItsCheckpointsScoreReplies) {
  auto dir = test::temp_dir("rm-run");
  fs::path init = test::pretrain_tiny(dir);
  auto run = dir / "run";
  auto result = run_forge({"run", rm_recipe(dir, init).string(), "--run-dir", run.string()}, dir);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("data.train: 48 rankings, 288 pairs"), std::string::npos)
      << result.output;
  std::vector<nlohmann::json> metrics = read_jsonl(run / "metrics.jsonl");
  ASSERT_EQ(metrics.size(), 31u);  // the evaluation before step 1, then every step
  const double before = metrics.front()["val_accuracy"], after = metrics.back()["val_accuracy"];
  EXPECT_GE(after, 0.9) << result.output;
  EXPECT_GT(after, before);
  EXPECT_LT(metrics.back()["val_loss"].get<double>(), metrics.front()["val_loss"].get<double>());
  for (const char* key : {"loss", "accuracy", "margin", "pairs", "grad_norm", "lr"})
    EXPECT_TRUE(metrics[5].contains(key)) << key;
  EXPECT_EQ(metrics[5]["pairs"], 48);  // 8 rankings x C(4, 2)

  // The checkpoint scores a longer reply higher, as the rankings taught.
  LoadedRewardModel model =
      load_reward_model(run / "checkpoints" / "step-00000030.h5", test::plugins(), Device::cpu());
  auto conversation = [&](const std::string& reply) {
    return render_chat(*model.tokenizer, {{"user", "Say amen.", {}}, {"assistant", reply, {}}}).ids;
  };
  std::vector<double> scores = score_sequences(
      *model.model, {conversation("amen"), conversation("amen amen amen amen amen amen")}, 0, 2);
  EXPECT_GT(scores[1], scores[0]);
}

TEST(RewardModelStage, BadRankingsFailBeforeAnythingStarts) {
  auto dir = test::temp_dir("rm-errors");
  fs::path init = test::pretrain_tiny(dir);
  auto recipe = rm_recipe(dir, init);
  test::write_text(dir / "bad.jsonl",
                   "{\"id\": \"b1\", \"text\": \"x\", \"messages\": [{\"role\": \"user\", "
                   "\"content\": \"x\"}], \"responses\": [\"a\", \"b\"], \"ranking\": [0, 0]}\n");
  auto repeated = run_forge({"run", recipe.string(), "data.train.0.paths=[bad.jsonl]"}, dir);
  EXPECT_EQ(repeated.exit_code, 2);
  EXPECT_NE(repeated.output.find("is not an order of the indices 0 to 1"), std::string::npos)
      << repeated.output;
  test::write_text(dir / "long.jsonl",
                   "{\"id\": \"l1\", \"text\": \"x\", \"messages\": [{\"role\": \"user\", "
                   "\"content\": \"x\"}], \"responses\": [\"a\", \"" +
                       std::string(200, 'b') + "\"], \"ranking\": [0, 1]}\n");
  auto long_reply = run_forge({"run", recipe.string(), "data.test.0.paths=[long.jsonl]"}, dir);
  EXPECT_EQ(long_reply.exit_code, 2);
  EXPECT_NE(long_reply.output.find("ranking 'l1' has a response that takes"), std::string::npos)
      << long_reply.output;
  test::write_text(dir / "plain.jsonl", "{\"id\": \"p\", \"text\": \"hello\"}\n");
  auto plain = run_forge({"run", recipe.string(), "data.train.0.paths=[plain.jsonl]"}, dir);
  EXPECT_EQ(plain.exit_code, 2);
  EXPECT_NE(plain.output.find("needs metadata.messages, responses and ranking"), std::string::npos)
      << plain.output;
}

}  // namespace
}  // namespace forge
