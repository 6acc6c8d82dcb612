// Conversations into training windows: packing with document starts, the loss mask shifted onto
// targets, padding, mixing by weight, exact replay after seek, and errors naming the source.
#include <forge/error.h>

#include "stages/sft/conversation_batches.h"
#include "support/test_support.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace forge {
namespace {

namespace fs = std::filesystem;

std::unique_ptr<Tokenizer> chat_bytes() {
  return test::make_plugin<Tokenizer>(
      "{plugin: bytes, special_tokens: ['<|endoftext|>', '<|im_start|>', '<|im_sep|>', "
      "'<|im_end|>']}");
}

// A conversations dataset over one file of `count` prompt/completion pairs "qN" -> "aN".
std::unique_ptr<Dataset> pairs(const std::string& name, int count, const std::string& tag = "") {
  fs::path file = test::temp_dir("conversation-batches-" + name) / (name + ".jsonl");
  std::string lines;
  for (int i = 0; i < count; ++i)
    lines += "{\"prompt\": \"q" + tag + std::to_string(i) + "\", \"completion\": \"a" + tag +
             std::to_string(i) + "\"}\n";
  test::write_text(file, lines);
  return test::make_plugin<Dataset>("{plugin: conversations, paths: ['" + file.string() + "']}");
}

std::vector<std::int32_t> ints(const Tensor& t) {
  Tensor c = t.contiguous();
  return {c.data<std::int32_t>(), c.data<std::int32_t>() + c.numel()};
}
std::vector<float> floats(const Tensor& t) {
  Tensor c = t.contiguous();
  return {c.data<float>(), c.data<float>() + c.numel()};
}

TEST(ConversationBatches, PacksWholeConversationsAndMasksAllButTheAssistant) {
  auto tokenizer = chat_bytes();
  auto data = pairs("packed", 3);
  // One conversation renders to 1+4+1 + 2 + 1 (user: "q0") + 1+9+1 + 2 + 1 (assistant) = 23.
  const RenderedChat one = render_chat(*tokenizer, {{"user", "q0"}, {"assistant", "a0"}});
  ASSERT_EQ(one.ids.size(), 23u);
  ConversationSettings settings;
  settings.seq_len = 63;  // windows of 64 tokens: two conversations and 18 of padding
  settings.shuffle = false;
  auto batches = conversation_batches({{data.get(), 1.0, "test"}}, *tokenizer, settings);
  TokenBatch batch = batches->next(1, 63, Device::cpu());
  std::vector<std::int32_t> ids = ints(batch.ids), targets = ints(batch.targets);
  std::vector<std::int32_t> starts = ints(batch.document_starts);
  std::vector<float> weights = floats(batch.weights);
  ASSERT_EQ(ids.size(), 63u);
  for (std::size_t t = 0; t < 23; ++t) {
    EXPECT_EQ(ids[t], one.ids[t]);
    EXPECT_EQ(starts[t], 0);
    EXPECT_EQ(starts[23 + t], 23) << "the second conversation starts at 23";
  }
  for (std::size_t t = 46; t < 63; ++t) {
    EXPECT_EQ(ids[t], tokenizer->end_of_text()) << "padding";
    EXPECT_EQ(starts[t], 46) << "padding is a document of its own";
    EXPECT_EQ(weights[t], 0.0f);
  }
  for (std::size_t t = 0; t + 1 < 23; ++t) {
    EXPECT_EQ(targets[t], ids[t + 1]);
    EXPECT_EQ(weights[t], one.mask[t + 1]) << "the weight of a target is its mask";
  }
  EXPECT_EQ(weights[22], 0.0f) << "the next conversation's first token is nobody's target";
  // The third conversation opens the next window; then the source starts over.
  std::vector<std::int32_t> second = ints(batches->next(1, 63, Device::cpu()).ids);
  EXPECT_EQ(tokenizer->decode({second.begin() + 6, second.begin() + 8}), "q2");
  EXPECT_EQ(tokenizer->decode({second.begin() + 29, second.begin() + 31}), "q0");
}

TEST(ConversationBatches, WithoutPackingEachWindowHoldsOneConversation) {
  auto tokenizer = chat_bytes();
  auto data = pairs("unpacked", 2);
  ConversationSettings settings;
  settings.seq_len = 63;
  settings.pack = false;
  auto batches = conversation_batches({{data.get(), 1.0, "test"}}, *tokenizer, settings);
  std::vector<std::int32_t> starts = ints(batches->next(2, 63, Device::cpu()).document_starts);
  for (std::size_t row = 0; row < 2; ++row) {
    EXPECT_EQ(starts[row * 63 + 22], 0);
    EXPECT_EQ(starts[row * 63 + 23], 23) << "padding after the only conversation";
    EXPECT_EQ(starts[row * 63 + 62], 23);
  }
}

TEST(ConversationBatches, MixesSourcesByWeightAndReplaysExactlyAfterSeek) {
  auto tokenizer = chat_bytes();
  auto a = pairs("mix-a", 5, "A"), b = pairs("mix-b", 5, "B");
  ConversationSettings settings;
  settings.seq_len = 25;  // one conversation per window
  settings.seed = 7;
  auto batches =
      conversation_batches({{a.get(), 3.0, "a"}, {b.get(), 1.0, "b"}}, *tokenizer, settings);
  int from_a = 0;
  std::vector<std::vector<std::int32_t>> drawn;
  for (int i = 0; i < 400; ++i) {
    drawn.push_back(ints(batches->next(1, 25, Device::cpu()).ids));
    from_a += tokenizer->decode({drawn.back().begin() + 7, drawn.back().begin() + 8}) == "A";
  }
  EXPECT_NEAR(from_a / 400.0, 0.75, 0.06) << "weights 3:1";
  batches->seek(123);
  EXPECT_EQ(batches->position(), 123u);
  EXPECT_EQ(ints(batches->next(1, 25, Device::cpu()).ids), drawn[123]);
}

TEST(ConversationBatches, LongConversationsAreCutAndEmptySourcesNamed) {
  auto tokenizer = chat_bytes();
  auto data = pairs("long", 1);
  ConversationSettings settings;
  settings.seq_len = 20;  // 21 of the 23 tokens fit: the assistant's content is cut, still learned
  auto batches = conversation_batches({{data.get(), 1.0, "test"}}, *tokenizer, settings);
  std::vector<float> weights = floats(batches->next(1, 20, Device::cpu()).weights);
  EXPECT_EQ(weights.back(), 1.0f);
  settings.seq_len = 8;  // nothing of the assistant's fits
  try {
    conversation_batches({{data.get(), 1.0, "data.train[0] (conversations)"}}, *tokenizer,
                         settings);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("data.train[0] (conversations): no conversation"),
              std::string::npos)
        << e.what();
  }
}

TEST(Conversations, ReadsMessagesAndPairsAndNamesBadLines) {
  fs::path file = test::temp_dir("conversations-plugin") / "chats.jsonl";
  test::write_text(file,
                   "{\"id\": 7, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, "
                   "{\"role\": \"assistant\", \"content\": \"hello\"}]}\n"
                   "\n"
                   "{\"prompt\": \"2+2?\", \"completion\": \"4\"}\n");
  auto data = test::make_plugin<Dataset>("{plugin: conversations, paths: ['" + file.string() +
                                         "'], system: 'Be brief.'}");
  std::vector<Document> documents;
  for (const std::string& shard : data->shards())
    data->read(shard, [&](Document&& d) {
      documents.push_back(std::move(d));
      return true;
    });
  ASSERT_EQ(documents.size(), 2u);
  EXPECT_EQ(documents[0].id, "7");
  EXPECT_EQ(documents[0].text, "system: Be brief.\nuser: hi\nassistant: hello");
  EXPECT_EQ(documents[1].metadata["messages"][2]["content"], "4");
  EXPECT_EQ(documents[1].id, file.string() + ":3");

  auto message_for = [&](const std::string& line) {
    test::write_text(file, line + "\n");
    try {
      data->read(file.string(), [](Document&&) { return true; });
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message_for("{\"prompt\": \"x\"}").find(":1: expected 'messages'"), std::string::npos);
  EXPECT_NE(message_for("{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}")
                .find("no assistant message"),
            std::string::npos);
  EXPECT_NE(message_for("{\"messages\": [{\"role\": \"bot\", \"content\": \"x\"}]}")
                .find(":1: messages[0].role"),
            std::string::npos);
  EXPECT_NE(message_for("{oops").find(":1: invalid JSON"), std::string::npos);
}

}  // namespace
}  // namespace forge
