// The HTTP server over a scripted backend: routes, streaming, limits, errors and shutdown.
#include "serve/serve_test_support.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <random>
#include <thread>

namespace forge::serve {
namespace {

using nlohmann::json;
using test::Client;
using test::FakeBackend;
using test::http_request;
using test::RunningServer;
using test::sse_data;

const std::string kChat = R"({"messages": [{"role": "user", "content": "Hi"}]})";

void expect_error(const test::HttpResult& r, int status, const std::string& says) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.content_type, "application/json");
  json body = json::parse(r.body, nullptr, false);
  ASSERT_TRUE(body.contains("error")) << r.body;
  for (const char* key : {"message", "type", "param", "code"})
    EXPECT_TRUE(body["error"].contains(key)) << key << " in " << r.body;
  EXPECT_NE(body["error"]["message"].get<std::string>().find(says), std::string::npos) << r.body;
}

TEST(Server, AnswersAChatCompletionWithUsage) {
  FakeBackend backend;
  RunningServer server(backend);
  auto r = http_request(server.port(), "POST", "/v1/chat/completions",
                        R"({"messages": [{"role": "system", "content": "Be brief."},
                            {"role": "user", "content": "Hi"}], "max_tokens": 9, "seed": 4})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/json");
  json body = r.json();
  EXPECT_EQ(body["object"], "chat.completion");
  EXPECT_EQ(body["model"], "fake-model");
  EXPECT_EQ(body["choices"][0]["message"]["content"], "Hello there");
  EXPECT_EQ(body["choices"][0]["finish_reason"], "stop");
  EXPECT_EQ(body["usage"]["completion_tokens"], 3);
  ASSERT_EQ(backend.last_messages.size(), 2u);
  EXPECT_EQ(backend.last_messages[1].content, "Hi");
  EXPECT_EQ(backend.last_params.max_tokens, 9);
  EXPECT_EQ(backend.last_params.seed, 4u);
}

TEST(Server, StreamsAChatAsChunksEndingWithDone) {
  FakeBackend backend;
  RunningServer server(backend);
  auto r = http_request(server.port(), "POST", "/v1/chat/completions",
                        R"({"messages": [{"role": "user", "content": "Hi"}], "stream": true,
                            "stream_options": {"include_usage": true}})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "text/event-stream");
  std::vector<std::string> data = sse_data(r.body);
  ASSERT_EQ(data.size(), 7u) << r.body;  // role, 3 pieces, finish, usage, [DONE]
  EXPECT_EQ(data.back(), "[DONE]");
  json first = json::parse(data[0]);
  EXPECT_EQ(first["object"], "chat.completion.chunk");
  EXPECT_EQ(first["choices"][0]["delta"]["role"], "assistant");
  std::string text;
  for (std::size_t i = 1; i <= 3; ++i) {
    json chunk = json::parse(data[i]);
    EXPECT_EQ(chunk["id"], first["id"]);  // every chunk of one stream shares the id
    text += chunk["choices"][0]["delta"]["content"].get<std::string>();
  }
  EXPECT_EQ(text, "Hello there");
  EXPECT_EQ(json::parse(data[4])["choices"][0]["finish_reason"], "stop");
  EXPECT_EQ(json::parse(data[5])["usage"]["completion_tokens"], 3);
}

TEST(Server, ATurnWithToolsStreamsItsStepsAndReturnsItsMessages) {
  FakeBackend backend;
  backend.with_tool = true;
  RunningServer server(backend);
  auto whole = http_request(server.port(), "POST", "/v1/chat/completions", kChat);
  ASSERT_EQ(whole.status, 200) << whole.body;
  json message = whole.json()["choices"][0]["message"];
  EXPECT_EQ(message["content"], "Let me add.It is 4.");
  EXPECT_FALSE(message.contains("tool_calls"));  // the call ran on the server
  ASSERT_EQ(message["forge_turn"].size(), 3u);
  EXPECT_EQ(message["forge_turn"][0]["tool_calls"][0]["function"]["name"], "calculator");
  EXPECT_EQ(message["forge_turn"][1], json::parse(R"({"role": "tool", "content": "4"})"));
  // The turn reads back as messages the server takes in the next request.
  const std::vector<ChatMessage> turn = {{"assistant", "Let me add.", {{"calculator", "2+2"}}},
                                         {"tool", "4", {}},
                                         {"assistant", "It is 4.", {}}};
  EXPECT_EQ(chat_from_json(message["forge_turn"]), turn);

  auto streamed = http_request(server.port(), "POST", "/v1/chat/completions",
                               R"({"messages": [{"role": "user", "content": "Hi"}],
                                   "stream": true})");
  std::vector<std::string> data = sse_data(streamed.body);
  ASSERT_EQ(data.size(), 7u) << streamed.body;  // role, text, call, output, text, finish, [DONE]
  EXPECT_EQ(json::parse(data[1])["choices"][0]["delta"]["content"], "Let me add.");
  json call = json::parse(data[2])["choices"][0]["delta"]["forge_step"];
  EXPECT_EQ(call["role"], "assistant");
  EXPECT_EQ(call["tool_calls"][0]["function"]["arguments"], "2+2");
  json output = json::parse(data[3])["choices"][0]["delta"]["forge_step"];
  EXPECT_EQ(output, json::parse(R"({"role": "tool", "content": "4"})"));
  EXPECT_EQ(json::parse(data[4])["choices"][0]["delta"]["content"], "It is 4.");
}

TEST(Server, AnswersCompletionsWholeAndStreamed) {
  FakeBackend backend;
  RunningServer server(backend);
  auto whole = http_request(server.port(), "POST", "/v1/completions", R"({"prompt": "Once"})");
  ASSERT_EQ(whole.status, 200) << whole.body;
  EXPECT_EQ(whole.json()["object"], "text_completion");
  EXPECT_EQ(whole.json()["choices"][0]["text"], "Hello there");
  EXPECT_EQ(backend.last_prompt, "Once");
  auto streamed = http_request(server.port(), "POST", "/v1/completions",
                               R"({"prompt": "Once", "stream": true})");
  std::vector<std::string> data = sse_data(streamed.body);
  ASSERT_EQ(data.size(), 5u) << streamed.body;  // 3 pieces, finish, [DONE]
  EXPECT_EQ(json::parse(data[0])["choices"][0]["text"], "Hel");
  EXPECT_EQ(json::parse(data[3])["choices"][0]["finish_reason"], "stop");
  EXPECT_EQ(data[4], "[DONE]");
}

TEST(Server, ListsTheModelAndServesTheWebPage) {
  FakeBackend backend;
  RunningServer server(backend);
  auto models = http_request(server.port(), "GET", "/v1/models");
  ASSERT_EQ(models.status, 200);
  EXPECT_EQ(models.json()["data"][0]["id"], "fake-model");
  EXPECT_EQ(http_request(server.port(), "GET", "/v1/models/fake-model").json()["id"], "fake-model");
  expect_error(http_request(server.port(), "GET", "/v1/models/gpt-4"), 404, "gpt-4");
  auto page = http_request(server.port(), "GET", "/");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  for (const char* id : {"id=\"messages\"", "id=\"input\"", "id=\"send\"", "id=\"status\""})
    EXPECT_NE(page.body.find(id), std::string::npos) << id;
  EXPECT_EQ(page.body.find("http://"), std::string::npos);  // nothing loaded from elsewhere
  EXPECT_EQ(page.body.find("https://"), std::string::npos);
}

TEST(Server, MalformedRequestsGetOpenAIStyleErrors) {
  FakeBackend backend;
  RunningServer server(backend);
  const auto port = server.port();
  expect_error(http_request(port, "POST", "/v1/chat/completions", "{broken"), 400,
               "not valid JSON");
  expect_error(http_request(port, "POST", "/v1/chat/completions", "{}"), 400, "messages");
  expect_error(http_request(port, "POST", "/v1/chat/completions", R"({"messages": 3})"), 400,
               "list of messages");
  expect_error(http_request(port, "POST", "/v1/chat/completions", ""), 400, "not valid JSON");
  expect_error(http_request(port, "GET", "/v1/chat/completions"), 405, "POST");
  expect_error(http_request(port, "POST", "/v1/models"), 405, "GET");
  expect_error(http_request(port, "GET", "/v1/embeddings"), 404, "Invalid URL");
  auto r = http_request(port, "POST", "/v1/chat/completions", R"({"messages": 3})");
  EXPECT_EQ(r.json()["error"]["param"], "messages");
  EXPECT_EQ(r.json()["error"]["type"], "invalid_request_error");
  EXPECT_EQ(backend.entered, 0);  // nothing malformed reached the model
  // Not HTTP at all: a 400 and a closed connection, and the server goes on.
  Client garbage(port);
  EXPECT_EQ(garbage.raw("HELLO THERE\r\n\r\n").status, 400);
  EXPECT_EQ(http_request(port, "GET", "/v1/models").status, 200);
}

TEST(Server, SurvivesGarbageAndHalfRequests) {
  FakeBackend backend;
  RunningServer server(backend);
  std::mt19937 random(3);
  for (int i = 0; i < 50; ++i) {
    std::string bytes(1 + random() % 300, '\0');
    for (char& c : bytes) c = static_cast<char>(random() % 256);
    if (i % 2) bytes = "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 40\r\n\r\n" + bytes;
    Client client(server.port());
    boost::asio::write(client.socket(), boost::asio::buffer(bytes));
    client.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send);
    try {
      client.read();  // an error answer, or none when the request never completed
    } catch (const std::exception&) {
    }
  }
  EXPECT_EQ(http_request(server.port(), "GET", "/v1/models").status, 200);
  EXPECT_EQ(http_request(server.port(), "POST", "/v1/chat/completions", kChat).status, 200);
}

TEST(Server, RefusesBodiesOverTheLimitWith413) {
  FakeBackend backend;
  ServerOptions options;
  options.limits.max_body_bytes = 200;
  RunningServer server(backend, options);
  std::string big =
      R"({"messages": [{"role": "user", "content": ")" + std::string(300, 'x') + R"("}]})";
  expect_error(http_request(server.port(), "POST", "/v1/chat/completions", big), 413,
               "limit of 200 bytes");
  // A chunked body has no length up front; it is cut where it passes the limit.
  Client chunked(server.port());
  auto r = chunked.raw(
      "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "12c\r\n" +
      std::string(300, 'x') + "\r\n0\r\n\r\n");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(http_request(server.port(), "POST", "/v1/chat/completions", kChat).status, 200);
}

TEST(Server, RefusesRequestsBeyondTheConcurrencyLimitWith429) {
  FakeBackend backend;
  backend.hold = true;
  ServerOptions options;
  options.limits.max_concurrent = 1;
  RunningServer server(backend, options);
  auto first = std::async(std::launch::async, [&] {
    return http_request(server.port(), "POST", "/v1/chat/completions", kChat);
  });
  ASSERT_TRUE(backend.wait_entered(1));
  auto busy = http_request(server.port(), "POST", "/v1/chat/completions", kChat);
  expect_error(busy, 429, "busy");
  EXPECT_EQ(busy.json()["error"]["code"], "rate_limit_exceeded");
  backend.release();
  EXPECT_EQ(first.get().status, 200);
  // The first request's slot frees once its handler returns, which may be just after its
  // client has the answer: the next request is served within moments.
  int status = 0;
  for (int attempt = 0; attempt < 100 && status != 200; ++attempt) {
    if (attempt) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    status = http_request(server.port(), "POST", "/v1/chat/completions", kChat).status;
  }
  EXPECT_EQ(status, 200);
}

TEST(Server, StreamsToAnHttp10ClientUntilTheConnectionCloses) {
  FakeBackend backend;
  RunningServer server(backend);
  Client client(server.port());
  const std::string body = R"({"prompt": "Once", "stream": true})";
  auto r =
      client.raw("POST /v1/completions HTTP/1.0\r\nContent-Length: " + std::to_string(body.size()) +
                 "\r\n\r\n" + body);
  ASSERT_EQ(r.status, 200);
  std::vector<std::string> data = sse_data(r.body);
  ASSERT_EQ(data.size(), 5u) << r.body;
  EXPECT_EQ(data.back(), "[DONE]");
}

TEST(Server, KeepsAConnectionOpenAcrossRequests) {
  FakeBackend backend;
  RunningServer server(backend);
  Client client(server.port());
  EXPECT_EQ(client.request("GET", "/v1/models").status, 200);
  EXPECT_EQ(client.request("POST", "/v1/chat/completions", kChat).status, 200);
  EXPECT_EQ(client
                .request("POST", "/v1/chat/completions",
                         R"({"messages": [{"role": "user", "content": "Hi"}], "stream": true})")
                .status,
            200);
  EXPECT_EQ(client.request("GET", "/nowhere").status, 404);
}

TEST(Server, StopsGeneratingWhenTheClientGoesAway) {
  FakeBackend backend;
  backend.endless = true;
  RunningServer server(backend);
  {
    Client client(server.port());
    namespace http = boost::beast::http;
    http::request<http::string_body> req{http::verb::post, "/v1/chat/completions", 11};
    req.set(http::field::host, "x");
    req.body() = R"({"messages": [{"role": "user", "content": "Hi"}], "stream": true})";
    req.prepare_payload();
    http::write(client.socket(), req);
    ASSERT_TRUE(backend.wait_entered(1));
  }  // closed mid-stream
  for (int i = 0; i < 300 && !backend.cancelled; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(backend.cancelled);
}

TEST(Server, StopsPromptlyWithIdleAndStreamingConnectionsOpen) {
  FakeBackend backend;
  backend.endless = true;
  RunningServer server(backend);
  Client idle(server.port());
  EXPECT_EQ(idle.request("GET", "/v1/models").status, 200);
  auto streaming = std::async(std::launch::async, [&] {
    Client c(server.port());
    return c.request("POST", "/v1/chat/completions",
                     R"({"messages": [{"role": "user", "content": "Hi"}], "stream": true})");
  });
  ASSERT_TRUE(backend.wait_entered(1));
  EXPECT_LT(server.stop(), 5.0);
  EXPECT_TRUE(server.returned());
  EXPECT_TRUE(backend.cancelled);
  try {
    streaming.get();  // a cut stream may fail to parse; either way it has ended
  } catch (const std::exception&) {
  }
}

TEST(Server, ClosesConnectionsIdlePastTheTimeout) {
  FakeBackend backend;
  ServerOptions options;
  options.idle_timeout_s = 0.3;
  RunningServer server(backend, options);
  Client client(server.port());
  EXPECT_EQ(client.request("GET", "/v1/models").status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(900));
  EXPECT_ANY_THROW(client.request("GET", "/v1/models"));
}

TEST(Server, ABusyPortIsAClearError) {
  FakeBackend backend;
  RunningServer first(backend);
  ServerOptions options;
  options.port = first.port();
  try {
    Server second(backend, options);
    FAIL() << "bound a port already in use";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot listen on 127.0.0.1:"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace forge::serve
