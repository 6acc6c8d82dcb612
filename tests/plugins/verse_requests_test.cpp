// Lesson `verse_requests`: requests for a line about a topic answered with a verse holding the
// topic word, splits disjoint by topic, replies that fit a byte model's small context.
#include <forge/chat.h>
#include <forge/dataset.h>
#include <forge/error.h>
#include <forge/tokenizer.h>

#include "support/test_support.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

namespace forge {
namespace {

namespace fs = std::filesystem;

std::vector<Document> generate(const std::string& yaml) {
  auto dataset = test::make_plugin<Dataset>(yaml);
  std::vector<Document> out;
  for (const std::string& shard : dataset->shards())
    dataset->read(shard, [&](Document&& d) {
      out.push_back(std::move(d));
      return true;
    });
  return out;
}

std::string generate_error(const std::string& yaml) {
  try {
    generate(yaml);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

// A few verses: lamb and water in three each, king in one, and one verse too long to use.
fs::path verse_files() {
  static const fs::path dir = [] {
    fs::path d = test::temp_dir("verses");
    test::write_text(d / "a.txt",
                     "Behold the Lamb of God.\n\nThe lamb shall be without blemish.\n"
                     "Feed my lambs, and give them water.\n"
                     "Water from the rock, and the LAMB was there.\n");
    test::write_text(d / "b.txt",
                     "He leadeth me beside the still waters.\nThe king said, Bring me water.\n"
                     "And the water was a very long verse that goes on and on with many words "
                     "about the lamb and more.\n");
    return d;
  }();
  return dir;
}

std::string yaml(const std::string& extra) {
  return cat("{plugin: verse_requests, path: '", (verse_files() / "*.txt").string(),
             "', min_verses: 2, max_words: 12, ", extra, "}");
}

TEST(VerseRequests, AnswersWithAVerseThatHoldsTheTopic) {
  std::vector<Document> docs = generate(yaml("count: 40, test_fraction: 0"));
  ASSERT_EQ(docs.size(), 40u);
  std::set<std::string> topics, verses;
  for (const Document& d : docs) {
    std::vector<ChatMessage> chat = chat_from_json(d.metadata["messages"]);
    ASSERT_EQ(chat.size(), 2u);
    EXPECT_EQ(chat[0].role, "user");
    const std::string topic = d.metadata["topic"].get<std::string>();
    EXPECT_NE(chat[0].content.find(topic), std::string::npos) << chat[0].content;
    std::string reply = chat[1].content;
    for (char& c : reply) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_NE(reply.find(topic), std::string::npos) << topic << ": " << chat[1].content;
    EXPECT_EQ(reply.find("very long verse"), std::string::npos) << "longer than max_words";
    topics.insert(topic);
    verses.insert(chat[1].content);
  }
  // king is in one verse only (below min_verses), "waters" and "lambs" are other words.
  EXPECT_EQ(topics, (std::set<std::string>{"lamb", "water"}));
  EXPECT_EQ(verses.size(), 5u);
}

TEST(VerseRequests, SplitsAreDisjointByTopicAndSeeded) {
  auto topics = [](const std::vector<Document>& docs) {
    std::set<std::string> out;
    for (const Document& d : docs) out.insert(d.metadata["topic"].get<std::string>());
    return out;
  };
  const std::string all =
      cat("{plugin: verse_requests, path: '", (verse_files() / "*.txt").string(),
          "', min_verses: 1, count: 50, test_fraction: 0.5, topics: [lamb, "
          "water, king, god, rock, blemish, feed, give, bring, said]");
  std::set<std::string> train = topics(generate(all + "}"));
  std::set<std::string> test_split = topics(generate(all + ", split: test}"));
  EXPECT_FALSE(train.empty());
  EXPECT_FALSE(test_split.empty());
  for (const std::string& topic : test_split) EXPECT_EQ(train.count(topic), 0u) << topic;
  auto texts = [](const std::vector<Document>& docs) {
    std::vector<std::string> out;
    for (const Document& d : docs) out.push_back(d.text);
    return out;
  };
  EXPECT_EQ(texts(generate(yaml("count: 8, test_fraction: 0"))),
            texts(generate(yaml("count: 8, test_fraction: 0"))));
  EXPECT_NE(texts(generate(yaml("count: 8, test_fraction: 0"))),
            texts(generate(yaml("count: 8, test_fraction: 0, seed: 9"))));
}

TEST(VerseRequests, RefusesMissingFilesAndTopicsWithTooFewVerses) {
  EXPECT_NE(generate_error("{plugin: verse_requests, path: /nonexistent/kjv/*.txt}")
                .find("scripts/data/kjv.sh"),
            std::string::npos);
  EXPECT_NE(generate_error(yaml("topics: [king]")).find("no topic occurs in 2"), std::string::npos);
}

// On the King James text itself (scripts/data/kjv.sh): prompt and reply stay well inside the
// tiny byte model's 256 tokens, and the built-in topics give a wide choice.
TEST(VerseRequests, KingJamesRequestsFitATinyByteContext) {
  const fs::path kjv = fs::path(FORGE_SOURCE_DIR) / "data" / "kjv" / "train";
  if (!fs::is_directory(kjv)) GTEST_SKIP() << "no " << kjv << "; run scripts/data/kjv.sh";
  auto tokenizer = test::make_plugin<Tokenizer>(
      cat("{plugin: bytes, special_tokens: [", test::kChatSpecialTokens, "]}"));
  std::set<std::string> topics;
  std::size_t longest = 0;
  for (const char* split : {"train", "test"}) {
    for (const Document& d :
         generate(cat("{plugin: verse_requests, path: '", (kjv / "*.txt").string(),
                      "', count: 400, split: ", split, "}"))) {
      longest = std::max(
          longest, render_chat(*tokenizer, chat_from_json(d.metadata["messages"])).ids.size());
      topics.insert(d.metadata["topic"].get<std::string>());
    }
  }
  EXPECT_LE(longest, 190u);
  EXPECT_GE(topics.size(), 100u);
}

}  // namespace
}  // namespace forge
