// Dataset `problems`: problems with answer keys in JSON Lines, GSM8K's format read as is, and
// errors that name the file and line.
#include <forge/chat.h>
#include <forge/dataset.h>

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

std::string read_error(const std::string& yaml) {
  try {
    read_all(yaml);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(Problems, ReadsPromptsMessagesAndGsm8k) {
  auto dir = test::temp_dir("problems");
  test::write_text(
      dir / "mixed.jsonl",
      "{\"prompt\": \"What is 2 + 3?\", \"answer\": 5}\n"
      "{\"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\", "
      "\"content\": \"Capital of France?\"}, {\"role\": \"assistant\", \"content\": \"Paris\"}], "
      "\"answer\": \"Paris\", \"id\": \"q2\"}\n"
      "\n"
      "{\"question\": \"Natalia sold clips to 48 friends, then half as many. How many?\", "
      "\"answer\": \"She sold 48/2 = <<48/2=24>>24 more.\\n48+24 = <<48+24=72>>72\\n#### 72\"}\n");
  std::vector<Document> docs =
      read_all("{plugin: problems, paths: [" + (dir / "mixed.jsonl").string() + "]}");
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_EQ(docs[0].metadata["answer"], "5");
  EXPECT_EQ(chat_from_json(docs[0].metadata["messages"]),
            (std::vector<ChatMessage>{{"user", "What is 2 + 3?", {}}}));
  // The reference reply is no part of the prompt.
  std::vector<ChatMessage> second = chat_from_json(docs[1].metadata["messages"]);
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second.back().role, "user");
  EXPECT_EQ(docs[1].id, "q2");
  EXPECT_EQ(docs[2].metadata["answer"], "72");
  EXPECT_EQ(docs[2].metadata["solution"],
            "She sold 48/2 = <<48/2=24>>24 more.\n48+24 = <<48+24=72>>72");
  EXPECT_NE(docs[2].id.find("mixed.jsonl:4"), std::string::npos) << docs[2].id;

  auto with_system = read_all("{plugin: problems, system: Think., paths: [" +
                              (dir / "mixed.jsonl").string() + "]}");
  EXPECT_EQ(chat_from_json(with_system[0].metadata["messages"]).front().content, "Think.");
  EXPECT_EQ(chat_from_json(with_system[1].metadata["messages"]).front().content, "Be brief.");
}

TEST(Problems, ErrorsNameTheFileAndLine) {
  auto dir = test::temp_dir("problems-errors");
  auto recipe = [&](const std::string& name, const std::string& lines) {
    test::write_text(dir / name, lines);
    return "{plugin: problems, paths: [" + (dir / name).string() + "]}";
  };
  std::string error = read_error(recipe("a.jsonl",
                                        "{\"prompt\": \"x\", \"answer\": 1}\n"
                                        "{\"prompt\": \"y\"}\n"));
  EXPECT_NE(error.find("a.jsonl:2: no 'answer'"), std::string::npos) << error;
  error = read_error(recipe("b.jsonl", "{\"text\": \"y\", \"answer\": 1}\n"));
  EXPECT_NE(error.find("b.jsonl:1: expected 'prompt', 'question' or 'messages'"), std::string::npos)
      << error;
  error = read_error(recipe("c.jsonl", "{\"question\": \"y\", \"answer\": \"work ####  \"}\n"));
  EXPECT_NE(error.find("c.jsonl:1: 'answer' is empty after ####"), std::string::npos) << error;
  error = read_error(recipe("d.jsonl", "{\"prompt\": \"y\", \"answer\": [1]}\n"));
  EXPECT_NE(error.find("d.jsonl:1: 'answer' must be a string or a number, found array"),
            std::string::npos)
      << error;
  error = read_error(recipe("e.jsonl", "{\"prompt\": 3, \"answer\": 1}\n"));
  EXPECT_NE(error.find("e.jsonl:1: 'prompt' must be a string"), std::string::npos) << error;
}

}  // namespace
}  // namespace forge
