// Response bodies and stream chunks in the shapes OpenAI's clients read.
#include "serve/openai_response.h"

#include <gtest/gtest.h>

namespace forge::serve {
namespace {

using nlohmann::json;

const ResponseId kId{"chatcmpl-1", 1700000000, "tiny"};

Completion reply() {
  Completion c;
  c.text = "Hello";
  c.finish_reason = "stop";
  c.prompt_tokens = 12;
  c.completion_tokens = 3;
  return c;
}

TEST(OpenAIResponse, AChatCompletionHasTheMessageAndUsage) {
  json body = chat_completion_json(kId, reply());
  EXPECT_EQ(body["id"], "chatcmpl-1");
  EXPECT_EQ(body["object"], "chat.completion");
  EXPECT_EQ(body["created"], 1700000000);
  EXPECT_EQ(body["model"], "tiny");
  ASSERT_EQ(body["choices"].size(), 1u);
  EXPECT_EQ(body["choices"][0]["index"], 0);
  EXPECT_EQ(body["choices"][0]["message"],
            json::parse(R"({"role": "assistant", "content": "Hello"})"));
  EXPECT_EQ(body["choices"][0]["finish_reason"], "stop");
  EXPECT_EQ(body["usage"], json::parse(R"({"prompt_tokens": 12, "completion_tokens": 3,
                                           "total_tokens": 15})"));
}

TEST(OpenAIResponse, ToolCallsAreFunctionCalls) {
  Completion c = reply();
  c.tool_calls = {{"python", "print(1)"}};
  c.finish_reason = "tool_calls";
  json message = chat_completion_json(kId, c)["choices"][0]["message"];
  ASSERT_EQ(message["tool_calls"].size(), 1u);
  EXPECT_EQ(message["tool_calls"][0]["type"], "function");
  EXPECT_EQ(message["tool_calls"][0]["function"]["name"], "python");
  EXPECT_EQ(message["tool_calls"][0]["function"]["arguments"], "print(1)");
  EXPECT_TRUE(message["tool_calls"][0]["id"].is_string());
  EXPECT_EQ(tool_calls_delta(c.tool_calls)["tool_calls"][0]["index"], 0);
}

TEST(OpenAIResponse, StreamChunksAreServerSentEvents) {
  std::string event = sse_event(chat_chunk_json(kId, {{"content", "Hel"}}));
  ASSERT_TRUE(event.starts_with("data: ")) << event;
  ASSERT_TRUE(event.ends_with("\n\n")) << event;
  EXPECT_EQ(event.find('\n'), event.size() - 2);  // one line: the JSON has no raw newlines
  json chunk = json::parse(event.substr(6));
  EXPECT_EQ(chunk["object"], "chat.completion.chunk");
  EXPECT_EQ(chunk["id"], "chatcmpl-1");
  EXPECT_EQ(chunk["choices"][0]["delta"]["content"], "Hel");
  EXPECT_TRUE(chunk["choices"][0]["finish_reason"].is_null());
  json last = chat_chunk_json(kId, json::object(), "length");
  EXPECT_EQ(last["choices"][0]["delta"], json::object());
  EXPECT_EQ(last["choices"][0]["finish_reason"], "length");
  json usage = usage_chunk_json(kId, reply(), "chat.completion.chunk");
  EXPECT_EQ(usage["choices"], json::array());
  EXPECT_EQ(usage["usage"]["total_tokens"], 15);
  EXPECT_STREQ(kSseDone, "data: [DONE]\n\n");
  EXPECT_EQ(sse_event(json{{"text", "a\nb"}}), "data: {\"text\":\"a\\nb\"}\n\n");
}

TEST(OpenAIResponse, TextCompletionsAndTheirChunks) {
  json body = text_completion_json({"cmpl-1", 5, "tiny"}, reply());
  EXPECT_EQ(body["object"], "text_completion");
  EXPECT_EQ(body["choices"][0]["text"], "Hello");
  EXPECT_EQ(body["usage"]["prompt_tokens"], 12);
  json chunk = text_chunk_json({"cmpl-1", 5, "tiny"}, "lo");
  EXPECT_EQ(chunk["choices"][0]["text"], "lo");
  EXPECT_TRUE(chunk["choices"][0]["finish_reason"].is_null());
}

TEST(OpenAIResponse, ModelsListAndInvalidTextDoNotThrow) {
  json models = models_json("tiny", 3);
  EXPECT_EQ(models["object"], "list");
  EXPECT_EQ(models["data"][0]["id"], "tiny");
  EXPECT_EQ(models["data"][0]["object"], "model");
  // Bytes that are not UTF-8 (from a model or an error message) are replaced, never thrown on.
  EXPECT_NO_THROW(sse_event(json{{"content", std::string("\xFF")}}));
}

}  // namespace
}  // namespace forge::serve
