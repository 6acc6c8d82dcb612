// Reward `preference_judge`: each part on a table of replies, the weights, and a located error
// for prompts without a topic.
#include <forge/error.h>
#include <forge/reward.h>

#include "support/test_support.h"

#include <gtest/gtest.h>

namespace forge {
namespace {

RewardInput reply_to_lamb(std::string reply, std::string finish = "stop") {
  RewardInput input;
  input.prompt = {{"user", "Write a line about the lamb.", {}}};
  input.turn = {{"assistant", reply, {}}};
  input.reply = std::move(reply);
  input.finish = std::move(finish);
  input.metadata = {{"topic", "lamb"}};
  return input;
}

struct JudgeCase {
  const char* what;
  const char* reply;
  const char* finish;
  double score;
};

TEST(PreferenceJudge, ScoresEachPartOnATableOfReplies) {
  // Defaults: topic 1, length 0.5 (peak at 12 words), repetition 1, finished 0.5.
  const std::vector<JudgeCase> cases = {
      {"12 distinct words on topic, finished",
       "Behold the Lamb of God which taketh away sin from "
       "this world",
       "stop", 1 + 0.5 + 0.5},
      {"the topic in another case",
       "LAMB! one two three four five six seven eight nine ten "
       "eleven",
       "stop", 2.0},
      {"off topic", "And the king said unto him, Go in peace and rest.", "stop",
       0.5 * (1 - 1.0 / 12) - 1.0 / 11 + 0.5},
      {"a plural is not the word", "lambs a b c d e f g h i j k", "stop", 1.0},
      {"cut off", "the lamb", "length", 1 + 0.5 * (1 - 10.0 / 12)},
      {"repeats half its words", "lamb lamb lamb lamb", "stop",
       1 + 0.5 * (1 - 8.0 / 12) - 0.75 + 0.5},
      {"far too long is floored at -1",
       "lamb a b c d e f g h i j k l m n o p q r s t u v w x y z aa bb cc dd ee ff gg hh ii jj",
       "stop", 1 - 0.5 + 0.5},
      {"empty", "", "stop", 0.0 + 0.5},
      {"word inside a word is not the word", "Flamboyant shepherds", "length",
       0.5 * (1 - 10.0 / 12)},
  };
  auto judge = test::make_plugin<Reward>("{plugin: preference_judge}");
  for (const JudgeCase& c : cases) {
    RewardScore score = judge->score(reply_to_lamb(c.reply, c.finish));
    EXPECT_NEAR(score.value, c.score, 1e-9) << c.what << ": " << c.reply;
    EXPECT_FALSE(score.correct.has_value()) << c.what;
  }
}

TEST(PreferenceJudge, WeightsAndTargetAreSettings) {
  auto topic_only = test::make_plugin<Reward>(
      "{plugin: preference_judge, length: 0, repetition: 0, finished: 0, topic: 2}");
  EXPECT_EQ(topic_only->score(reply_to_lamb("lamb lamb", "length")).value, 2.0);
  EXPECT_EQ(topic_only->score(reply_to_lamb("sheep")).value, 0.0);
  auto short_target = test::make_plugin<Reward>(
      "{plugin: preference_judge, topic: 0, repetition: 0, finished: 0, length: 1, "
      "target_words: 2}");
  EXPECT_EQ(short_target->score(reply_to_lamb("the lamb")).value, 1.0);
  EXPECT_EQ(short_target->score(reply_to_lamb("lamb")).value, 0.5);
  // Without the topic part, prompts need no topic.
  RewardInput bare = reply_to_lamb("the lamb");
  bare.metadata = nlohmann::json::object();
  EXPECT_EQ(short_target->score(bare).value, 1.0);
  auto other_key = test::make_plugin<Reward>(
      "{plugin: preference_judge, topic_key: subject, length: 0, "
      "repetition: 0, finished: 0}");
  bare.metadata = {{"subject", "Lamb"}};
  EXPECT_EQ(other_key->score(bare).value, 1.0);
}

TEST(PreferenceJudge, RefusesPromptsWithoutATopic) {
  auto judge = test::make_plugin<Reward>("{plugin: preference_judge}");
  RewardInput input = reply_to_lamb("the lamb");
  input.metadata = {{"topic", 3}};
  try {
    judge->score(input);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no string 'topic'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(test::make_plugin<Reward>("{plugin: preference_judge, target_words: 0}"), Error);
}

}  // namespace
}  // namespace forge
