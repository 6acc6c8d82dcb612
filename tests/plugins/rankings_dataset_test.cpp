// Dataset `rankings`: ranked responses read from JSON Lines into documents, and every way a
// line can be wrong named by file and line.
#include <forge/dataset.h>
#include <forge/error.h>

#include "support/test_support.h"

#include <gtest/gtest.h>

namespace forge {
namespace {

std::vector<Document> read_all(const std::string& yaml) {
  auto dataset = test::make_plugin<Dataset>(yaml);
  std::vector<Document> docs;
  for (const std::string& shard : dataset->shards())
    dataset->read(shard, [&](Document&& d) {
      docs.push_back(std::move(d));
      return true;
    });
  return docs;
}

std::string read_error(const std::string& line) {
  auto dir = test::temp_dir("rankings-bad");
  test::write_text(dir / "bad.jsonl", "\n" + line + "\n");
  try {
    read_all(cat("{plugin: rankings, path: '", (dir / "bad.jsonl").string(), "'}"));
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(RankingsDataset, ReadsMessagesPromptsScoresAndMetadata) {
  auto dir = test::temp_dir("rankings");
  test::write_text(
      dir / "train.jsonl",
      "{\"id\": \"verse-17\", \"messages\": [{\"role\": \"user\", \"content\": \"Write a line "
      "about the lamb.\"}], \"responses\": [\"a\", \"b\", \"c\", \"d\", \"e\"], \"ranking\": [2, "
      "0, 4, 1, 3], \"scores\": [0.4, 1.2, 1.9, -0.3, 0.8], \"metadata\": {\"topic\": "
      "\"lamb\"}}\n"
      "\n"
      "{\"prompt\": \"Say something about water.\", \"responses\": [\"x\", \"y\"], \"ranking\": "
      "[1, 0]}\n");
  test::write_text(dir / "more.jsonl",
                   "{\"id\": 3, \"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, "
                   "{\"role\": \"user\", \"content\": \"Hi\"}], \"responses\": [\"p\", \"q\"], "
                   "\"ranking\": [0, 1]}\n");
  std::vector<Document> docs =
      read_all(cat("{plugin: rankings, path: '", dir.string(), "/*.jsonl'}"));
  ASSERT_EQ(docs.size(), 3u);
  // Shards are sorted: more.jsonl first.
  EXPECT_EQ(docs[0].id, "3");
  EXPECT_EQ(docs[0].text, "Hi");
  EXPECT_EQ(docs[0].metadata["messages"].size(), 2u);
  const Document& lamb = docs[1];
  EXPECT_EQ(lamb.id, "verse-17");
  EXPECT_EQ(lamb.text, "Write a line about the lamb.");
  EXPECT_EQ(lamb.metadata["messages"][0]["role"], "user");
  EXPECT_EQ(lamb.metadata["responses"], (nlohmann::json{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(lamb.metadata["ranking"], (nlohmann::json{2, 0, 4, 1, 3}));
  EXPECT_EQ(lamb.metadata["scores"][2], 1.9);
  EXPECT_EQ(lamb.metadata["topic"], "lamb");
  const Document& water = docs[2];
  EXPECT_NE(water.id.find("train.jsonl:3"), std::string::npos) << water.id;
  EXPECT_EQ(water.text, "Say something about water.");
  EXPECT_EQ(water.metadata["messages"][0]["content"], "Say something about water.");
  EXPECT_FALSE(water.metadata.contains("scores"));
}

TEST(RankingsDataset, NamesTheFileLineAndWhatIsWrong) {
  const std::string prompt = "{\"prompt\": \"Hi\", ";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{\"prompt\": \"Hi\", \"ranking\": [0, 1]}", "'responses' is missing"},
      {prompt + "\"responses\": [\"a\"], \"ranking\": [0]}", "holds 1 reply; a ranking needs"},
      {prompt + "\"responses\": \"a\", \"ranking\": [0]}", "must be a list of strings"},
      {prompt + "\"responses\": [\"a\", 2], \"ranking\": [0, 1]}", "responses[1] must be a string"},
      {prompt + "\"responses\": [\"a\", \"b\"]}", "'ranking' is missing"},
      {prompt + "\"responses\": [\"a\", \"b\"], \"ranking\": [0, 0]}", "a permutation of 0..1"},
      {prompt + "\"responses\": [\"a\", \"b\"], \"ranking\": [0, 2]}", "a permutation of 0..1"},
      {prompt + "\"responses\": [\"a\", \"b\", \"c\"], \"ranking\": [0, 1]}",
       "a permutation of 0..2"},
      {prompt + "\"responses\": [\"a\", \"b\"], \"ranking\": [0, 1.5]}", "a permutation"},
      {prompt + "\"responses\": [\"a\", \"b\"], \"ranking\": [1, 0], \"scores\": [1]}",
       "'scores' must be 2 numbers"},
      {prompt + "\"responses\": [\"a\", \"b\"], \"ranking\": [1, 0], \"metadata\": [1]}",
       "'metadata' must be an object"},
      {prompt + "\"responses\": [\"a\", \"b\"], \"ranking\": [1, 0], \"metadata\": "
                "{\"ranking\": 1}}",
       "metadata.ranking would hide"},
      {"{\"responses\": [\"a\", \"b\"], \"ranking\": [1, 0]}", "the prompt is missing"},
      {"{\"prompt\": 3, \"responses\": [\"a\", \"b\"], \"ranking\": [1, 0]}",
       "'prompt' must be a string"},
      {"{\"prompt\": \"Hi\", \"messages\": [], \"responses\": [\"a\", \"b\"], \"ranking\": [1, 0]}",
       "not both"},
      {"{\"messages\": [{\"role\": \"assistant\", \"content\": \"Hi\"}], \"responses\": [\"a\", "
       "\"b\"], \"ranking\": [1, 0]}",
       "must end with a user message"},
      {"{\"prompt\": \"Hi\", \"responses\": [\"a\", \"b\"", "bad.jsonl:2"},
  };
  for (const auto& [line, expected] : cases) {
    const std::string error = read_error(line);
    EXPECT_NE(error.find(expected), std::string::npos) << line << "\n  gave: " << error;
    EXPECT_NE(error.find("bad.jsonl:2"), std::string::npos) << line << "\n  gave: " << error;
  }
}

TEST(RankingsDataset, RefusesAPathThatMatchesNothing) {
  EXPECT_THROW(read_all("{plugin: rankings, path: /nonexistent/rankings/*.jsonl}"), Error);
  EXPECT_THROW(test::make_plugin<Dataset>("{plugin: rankings}"), Error);
}

}  // namespace
}  // namespace forge
