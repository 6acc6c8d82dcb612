#pragma once

// For the serve tests: a scripted ChatBackend, a server running on a free port, and a small
// blocking HTTP client.

#include "serve/server.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace forge::serve::test {

// Replies with `pieces` one delta each; with `hold`, waits until release() before replying.
class FakeBackend : public ChatBackend {
 public:
  std::vector<std::string> pieces{"Hel", "lo", " there"};
  bool endless = false;  // repeats pieces until the callback says stop
  bool hold = false;
  bool with_tool = false;  // chat replies are a turn in which a tool ran

  std::string model_name() const override { return "fake-model"; }
  Completion complete_chat(const std::vector<ChatMessage>& messages, const GenerationParams& p,
                           const DeltaCallback& on_delta,
                           const TurnStepCallback& on_step) override {
    {
      std::lock_guard lock(mutex_);
      last_messages = messages;
    }
    if (!with_tool) return play(p, on_delta);
    // A turn in which a tool ran: text, the call, its output, more text.
    Completion c;
    c.finish_reason = "stop";
    on_delta("Let me add.");
    on_step({"assistant", "", {{"calculator", "2+2"}}});
    on_step({"tool", "4", {}});
    on_delta("It is 4.");
    c.text = "Let me add.It is 4.";
    c.turn = {{"assistant", "Let me add.", {{"calculator", "2+2"}}},
              {"tool", "4", {}},
              {"assistant", "It is 4.", {}}};
    return c;
  }
  Completion complete_text(const std::string& prompt, const GenerationParams& p,
                           const DeltaCallback& on_delta) override {
    {
      std::lock_guard lock(mutex_);
      last_prompt = prompt;
    }
    return play(p, on_delta);
  }

  void release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    wake_.notify_all();
  }
  // Waits until `n` requests have entered the backend.
  bool wait_entered(int n) {
    for (int i = 0; i < 500 && entered < n; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return entered >= n;
  }

  std::atomic<int> entered{0};
  std::atomic<bool> cancelled{false};
  std::vector<ChatMessage> last_messages;
  std::string last_prompt;
  GenerationParams last_params;

 private:
  Completion play(const GenerationParams& p, const DeltaCallback& on_delta) {
    ++entered;
    std::unique_lock lock(mutex_);
    last_params = p;
    if (hold) wake_.wait(lock, [this] { return released_; });
    lock.unlock();
    Completion c;
    c.prompt_tokens = 5;
    c.finish_reason = "stop";
    for (std::size_t i = 0; endless || i < pieces.size(); ++i) {
      const std::string& piece = pieces[i % pieces.size()];
      if (endless) std::this_thread::sleep_for(std::chrono::milliseconds(2));
      if (!on_delta(piece)) {
        cancelled = true;
        c.finish_reason = "cancelled";
        break;
      }
      c.text += piece;
      ++c.completion_tokens;
    }
    return c;
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  bool released_ = false;
};

// A server on a free loopback port, serving on its own thread until destroyed.
class RunningServer {
 public:
  RunningServer(ChatBackend& backend, ServerOptions options = {})
      : server_(backend, with_free_port(std::move(options))), thread_([this] { run(); }) {}
  ~RunningServer() { stop(); }
  unsigned short port() const { return server_.port(); }
  // Stops the server and returns the seconds run() took to return.
  double stop() {
    const auto start = std::chrono::steady_clock::now();
    server_.stop();
    if (thread_.joinable()) thread_.join();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  bool returned() const { return returned_; }

 private:
  static ServerOptions with_free_port(ServerOptions o) {
    o.host = "127.0.0.1";
    o.port = 0;
    return o;
  }
  void run() {
    server_.run(false);
    returned_ = true;
  }
  Server server_;
  std::atomic<bool> returned_{false};
  std::thread thread_;
};

struct HttpResult {
  int status = 0;
  std::string content_type;
  std::string body;
  nlohmann::json json() const { return nlohmann::json::parse(body); }
};

// A connection to the server; several requests may go over it (keep-alive).
class Client {
 public:
  explicit Client(unsigned short port) : socket_(io_) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  }
  HttpResult request(const std::string& method, const std::string& target,
                     const std::string& body = "") {
    namespace http = boost::beast::http;
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!body.empty()) req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    http::write(socket_, req);
    return read();
  }
  // Sends bytes as they are, for malformed requests.
  HttpResult raw(const std::string& bytes) {
    boost::asio::write(socket_, boost::asio::buffer(bytes));
    return read();
  }
  HttpResult read() {
    namespace http = boost::beast::http;
    http::response_parser<http::string_body> parser;
    parser.body_limit(boost::none);
    http::read(socket_, buffer_, parser);
    HttpResult out;
    out.status = static_cast<int>(parser.get().result_int());
    out.content_type = std::string(parser.get()[http::field::content_type]);
    out.body = parser.get().body();
    return out;
  }
  boost::asio::ip::tcp::socket& socket() { return socket_; }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

inline HttpResult http_request(unsigned short port, const std::string& method,
                               const std::string& target, const std::string& body = "") {
  return Client(port).request(method, target, body);
}

// The data lines of a server-sent event stream; the last is "[DONE]".
inline std::vector<std::string> sse_data(const std::string& body) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < body.size()) {
    std::size_t end = body.find("\n\n", at);
    if (end == std::string::npos) end = body.size();
    std::string event = body.substr(at, end - at);
    if (event.starts_with("data: ")) out.push_back(event.substr(6));
    at = end + 2;
  }
  return out;
}

}  // namespace forge::serve::test
