// ModelBackend over a real (tiny) checkpoint: the chat template, streaming that adds up to the
// reply, seeds, limits and errors.
#include "serve/model_backend.h"
#include "serve/text_stream.h"
#include "serve/tiny_chat_checkpoint.h"

#include <gtest/gtest.h>

#include <thread>

namespace forge::serve {
namespace {

ModelBackend& backend() {
  static ModelBackend* made = [] {
    auto file = test::tiny_chat_checkpoint();
    LoadedModel loaded = load_model(file, forge::test::plugins(), Device::cpu());
    std::string name = checkpoint_model_name(loaded, file.string());
    return new ModelBackend(std::move(loaded), name, forge::test::plugins());
  }();
  return *made;
}

std::vector<ChatMessage> hello() { return {{"user", "Hello there", {}}}; }

TEST(ModelBackend, StreamsValidTextThatAddsUpToTheReply) {
  EXPECT_EQ(backend().model_name(), "tiny-chat");
  GenerationParams params;
  params.max_tokens = 40;
  params.seed = 11;
  std::string streamed;
  int calls = 0;
  Completion c = backend().complete_chat(hello(), params,
                                         [&](std::string_view text) {
                                           streamed += text;
                                           ++calls;
                                           return true;
                                         },
                                         {});
  EXPECT_EQ(streamed, c.text);
  EXPECT_GE(calls, c.completion_tokens);  // asked at least once per token
  EXPECT_GT(c.completion_tokens, 0);
  EXPECT_LE(c.completion_tokens, 40);
  EXPECT_TRUE(c.finish_reason == "stop" || c.finish_reason == "length" ||
              c.finish_reason == "tool_calls")
      << c.finish_reason;
  if (c.finish_reason == "length") {
    EXPECT_EQ(c.completion_tokens, 40);
  }
  std::string rest;
  EXPECT_EQ(take_utf8(c.text, true, rest), c.text);  // already valid UTF-8
  // The prompt is the rendered chat with the generation prompt.
  LoadedModel again =
      load_model(test::tiny_chat_checkpoint(), forge::test::plugins(), Device::cpu());
  const Tokenizer& tok = *again.tokenizer;
  EXPECT_EQ(c.prompt_tokens,
            static_cast<std::int64_t>(render_chat(tok, hello(), {}, true).ids.size()));
}

TEST(ModelBackend, ASeedRepeatsAReplyAndMaxTokensBoundsIt) {
  GenerationParams params;
  params.max_tokens = 12;
  params.seed = 5;
  auto keep = [](std::string_view) { return true; };
  Completion a = backend().complete_chat(hello(), params, keep, {});
  Completion b = backend().complete_chat(hello(), params, keep, {});
  EXPECT_EQ(a.text, b.text);
  EXPECT_EQ(a.completion_tokens, b.completion_tokens);
  params.max_tokens = 1;
  params.temperature = 0;
  EXPECT_LE(backend().complete_text("In the", params, keep).completion_tokens, 1);
}

TEST(ModelBackend, ConcurrentRequestsTakeTurnsAndGetWhatTheyWouldAlone) {
  auto keep = [](std::string_view) { return true; };
  auto reply = [&](std::uint64_t seed) {
    GenerationParams params;
    params.max_tokens = 24;
    params.seed = seed;
    return backend().complete_chat(hello(), params, keep, {}).text;
  };
  std::vector<std::string> alone;
  for (std::uint64_t seed = 1; seed <= 4; ++seed) alone.push_back(reply(seed));
  std::vector<std::string> together(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < 4; ++i) threads.emplace_back([&, i] { together[i] = reply(i + 1); });
  for (auto& t : threads) t.join();
  EXPECT_EQ(together, alone);
}

TEST(ModelBackend, ACallbackThatSaysStopEndsGeneration) {
  GenerationParams params;
  params.max_tokens = 60;
  params.seed = 2;
  int calls = 0;
  Completion c =
      backend().complete_text("The", params, [&](std::string_view) { return ++calls < 3; });
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(c.finish_reason, "cancelled");
  EXPECT_LE(c.completion_tokens, 3);
}

TEST(ModelBackend, APromptLongerThanTheContextIsAnError) {
  GenerationParams params;
  std::vector<ChatMessage> long_chat{{"user", std::string(400, 'a'), {}}};
  try {
    backend().complete_chat(long_chat, params, {}, {});
    FAIL() << "a 400-byte message fit a context of 256";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("context of 256"), std::string::npos) << e.what();
  }
  // A tool message right after a user message is not a conversation the template renders.
  EXPECT_THROW(backend().complete_chat({{"user", "x", {}}, {"tool", "3", {}}}, params, {}, {}),
               Error);
}

}  // namespace
}  // namespace forge::serve
