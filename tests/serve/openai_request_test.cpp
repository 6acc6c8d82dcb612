// Request bodies: what is read, and the OpenAI-style error every malformed one gets.
#include "serve/openai_request.h"

#include <gtest/gtest.h>

namespace forge::serve {
namespace {

const Limits kLimits{.max_body_bytes = 4096, .max_tokens = 100, .max_concurrent = 2};

// The error a chat body gets, or a failure when it is accepted.
ApiError chat_error(const std::string& body) {
  try {
    parse_chat_request(body, kLimits);
  } catch (const ApiError& e) {
    return e;
  }
  ADD_FAILURE() << "accepted: " << body;
  return ApiError(0, "");
}

ApiError text_error(const std::string& body) {
  try {
    parse_text_request(body, kLimits);
  } catch (const ApiError& e) {
    return e;
  }
  ADD_FAILURE() << "accepted: " << body;
  return ApiError(0, "");
}

TEST(OpenAIRequest, ReadsAChatRequestWithItsParameters) {
  ChatRequest r = parse_chat_request(
      R"({"model": "x", "messages": [{"role": "developer", "content": "Be brief."},
          {"role": "user", "content": [{"type": "text", "text": "Hi"}]}],
          "max_tokens": 7, "temperature": 0.5, "top_p": 0.9, "seed": 42, "stop": ["\n", "END"],
          "n": 1, "stream": true, "stream_options": {"include_usage": true}, "user": "ignored"})",
      kLimits);
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_EQ(r.messages[0].role, "system");
  EXPECT_EQ(r.messages[1].content, "Hi");
  EXPECT_EQ(r.params.max_tokens, 7);
  EXPECT_DOUBLE_EQ(r.params.temperature, 0.5);
  EXPECT_DOUBLE_EQ(r.params.top_p, 0.9);
  EXPECT_EQ(r.params.seed, 42u);
  EXPECT_EQ(r.params.stop, (std::vector<std::string>{"\n", "END"}));
  EXPECT_TRUE(r.stream);
  EXPECT_TRUE(r.include_usage);
}

TEST(OpenAIRequest, DefaultsComeFromTheServersLimits) {
  ChatRequest r =
      parse_chat_request(R"({"messages": [{"role": "user", "content": "Hi"}]})", kLimits);
  EXPECT_EQ(r.params.max_tokens, 100);
  EXPECT_DOUBLE_EQ(r.params.temperature, 1.0);
  EXPECT_FALSE(r.params.seed.has_value());
  EXPECT_FALSE(r.stream);
  ChatRequest newer = parse_chat_request(
      R"({"messages": [{"role": "user", "content": "Hi"}], "max_completion_tokens": 3,
          "max_tokens": 50, "stop": "x", "temperature": null})",
      kLimits);
  EXPECT_EQ(newer.params.max_tokens, 3);
  EXPECT_EQ(newer.params.stop, std::vector<std::string>{"x"});
}

TEST(OpenAIRequest, MalformedChatBodiesNameTheirField) {
  struct Case {
    const char* body;
    const char* param;
    const char* says;
  };
  const Case cases[] = {
      {"{not json", "", "not valid JSON"},
      {"[1, 2]", "", "must be a JSON object"},
      {"{}", "messages", "required"},
      {R"({"messages": "Hi"})", "messages", "expected a list"},
      {R"({"messages": []})", "messages", "at least one"},
      {R"({"messages": [{"role": "king", "content": "x"}]})", "messages", "messages[0].role"},
      {R"({"messages": [{"role": "user", "content": 5}]})", "messages", "messages[0].content"},
      {R"({"messages": [{"content": "x"}]})", "messages", "messages[0].role"},
      {R"({"messages": [{"role": "user"}], "max_tokens": 101})", "max_tokens", "limit of 100"},
      {R"({"messages": [{"role": "user"}], "max_tokens": 0})", "max_tokens", "at least 1"},
      {R"({"messages": [{"role": "user"}], "max_tokens": "5"})", "max_tokens", "integer"},
      {R"({"messages": [{"role": "user"}], "max_completion_tokens": 2.5})", "max_completion_tokens",
       "integer"},
      {R"({"messages": [{"role": "user"}], "temperature": 3})", "temperature", "outside"},
      {R"({"messages": [{"role": "user"}], "temperature": "hot"})", "temperature", "number"},
      {R"({"messages": [{"role": "user"}], "top_p": 0})", "top_p", "outside (0, 1]"},
      {R"({"messages": [{"role": "user"}], "n": 2})", "n", "only 1"},
      {R"({"messages": [{"role": "user"}], "stream": "yes"})", "stream", "true or false"},
      {R"({"messages": [{"role": "user"}], "stream_options": 1})", "stream_options", "object"},
      {R"({"messages": [{"role": "user"}], "seed": 1.5})", "seed", "integer"},
      {R"({"messages": [{"role": "user"}], "stop": [1]})", "stop", "strings"},
      {R"({"messages": [{"role": "user"}], "stop": ["a","b","c","d","e"]})", "stop", "at most 4"},
      {R"({"messages": [{"role": "user"}], "logprobs": true})", "logprobs", "not supported"},
      {R"({"messages": [{"role": "user"}], "tools": []})", "tools", "not supported"},
      {R"({"messages": [{"role": "user"}], "model": 3})", "model", "string"},
  };
  for (const Case& c : cases) {
    ApiError e = chat_error(c.body);
    EXPECT_EQ(e.status, 400) << c.body;
    EXPECT_EQ(e.param, c.param) << c.body;
    EXPECT_NE(std::string(e.what()).find(c.says), std::string::npos) << c.body << ": " << e.what();
    EXPECT_EQ(e.type, "invalid_request_error");
  }
  EXPECT_EQ(chat_error("{oops").code, "invalid_json");
  // logprobs: false asks for nothing and is accepted.
  EXPECT_NO_THROW(
      parse_chat_request(R"({"messages": [{"role": "user"}], "logprobs": false})", kLimits));
}

// Every field given every kind of JSON value: accepted or an ApiError, never anything else.
TEST(OpenAIRequest, AnyValueOfAnyFieldIsAcceptedOrAnApiError) {
  const char* fields[] = {"messages",
                          "prompt",
                          "max_tokens",
                          "max_completion_tokens",
                          "temperature",
                          "top_p",
                          "seed",
                          "stop",
                          "n",
                          "stream",
                          "stream_options",
                          "model",
                          "logprobs",
                          "tools",
                          "user"};
  const char* values[] = {"null",
                          "true",
                          "false",
                          "0",
                          "-1",
                          "1",
                          "1.5",
                          "1e308",
                          "-1e308",
                          "18446744073709551615",
                          "-9223372036854775808",
                          "\"\"",
                          "\"x\"",
                          "[]",
                          "{}",
                          "[1]",
                          "[\"a\"]",
                          "[null]",
                          "{\"include_usage\": 3}",
                          "[{\"role\": \"user\"}]",
                          "[{\"role\": 1, \"content\": []}]",
                          "[{\"role\": \"assistant\", \"tool_calls\": [{}]}]"};
  for (const char* field : fields)
    for (const char* value : values) {
      const std::string chat =
          std::string(R"({"messages": [{"role": "user", "content": "x"}], ")") + field +
          "\": " + value + "}";
      const std::string text = std::string(R"({"prompt": "x", ")") + field + "\": " + value + "}";
      for (const std::string& body : {chat, text}) {
        try {
          if (&body == &chat)
            parse_chat_request(body, kLimits);
          else
            parse_text_request(body, kLimits);
        } catch (const ApiError& e) {
          EXPECT_EQ(e.status, 400) << body;
        } catch (const std::exception& e) {
          ADD_FAILURE() << body << ": " << e.what();
        }
      }
    }
}

TEST(OpenAIRequest, ReadsCompletionPrompts) {
  EXPECT_EQ(parse_text_request(R"({"prompt": "Once"})", kLimits).prompt, "Once");
  EXPECT_EQ(parse_text_request(R"({"prompt": ["Once"], "max_tokens": 4})", kLimits).prompt, "Once");
  EXPECT_EQ(text_error("{}").param, "prompt");
  EXPECT_EQ(text_error(R"({"prompt": [1, 2, 3]})").param, "prompt");
  EXPECT_EQ(text_error(R"({"prompt": ["a", "b"]})").param, "prompt");
  EXPECT_EQ(text_error(R"({"prompt": "a", "echo": true})").param, "echo");
  EXPECT_EQ(text_error(R"({"prompt": "a", "max_tokens": 1000})").param, "max_tokens");
}

TEST(OpenAIRequest, ErrorsHaveOpenAIsShape) {
  ApiError e(429, "busy", "", "rate_limit_exceeded", "rate_limit_error");
  EXPECT_EQ(e.to_json(), nlohmann::json::parse(R"({"error": {"message": "busy",
      "type": "rate_limit_error", "param": null, "code": "rate_limit_exceeded"}})"));
  EXPECT_EQ(ApiError(400, "bad", "messages").to_json()["error"]["param"], "messages");
}

}  // namespace
}  // namespace forge::serve
