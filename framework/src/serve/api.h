#pragma once

// The routes of the OpenAI-compatible API and the web page, over any transport that can send a
// whole response or a stream of chunks. Failures become OpenAI-style JSON errors; nothing a
// client sends can escape as an exception.

#include "serve/chat_backend.h"
#include "serve/openai_request.h"

#include <atomic>
#include <string>
#include <string_view>

namespace forge::serve {

struct HttpRequest {
  std::string method;  // GET, POST, ...
  std::string target;  // the path with its query
  std::string body;
};

// How a route answers. The stream calls return false once the client has gone.
class Responder {
 public:
  virtual ~Responder() = default;
  virtual void send(int status, const std::string& content_type, const std::string& body) = 0;
  virtual bool start_stream() = 0;  // 200, text/event-stream, chunked
  virtual bool write_chunk(std::string_view data) = 0;
  virtual void end_stream() = 0;
  std::string note;  // what the request did, for the request's log line
};

class Api {
 public:
  Api(ChatBackend& backend, Limits limits, const std::atomic<bool>& stopping);
  void handle(const HttpRequest& request, Responder& out);
  const Limits& limits() const { return limits_; }

 private:
  void chat(const HttpRequest& request, Responder& out);
  void text(const HttpRequest& request, Responder& out);

  ChatBackend& backend_;
  Limits limits_;
  const std::atomic<bool>& stopping_;
  std::atomic<int> active_{0};
  std::int64_t started_;
};

}  // namespace forge::serve
