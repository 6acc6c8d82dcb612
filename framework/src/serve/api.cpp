#include "serve/api.h"

#include <forge/error.h>

#include "serve/openai_response.h"
#include "serve/web_page.h"

#include <chrono>
#include <mutex>
#include <random>

namespace forge::serve {
namespace {

using nlohmann::json;

std::int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string response_id(const char* prefix) {
  static std::mutex mutex;
  static std::mt19937_64 engine{std::random_device{}()};
  std::lock_guard lock(mutex);
  static const char* kHex = "0123456789abcdef";
  std::string id = prefix;
  for (int i = 0; i < 24; ++i) id += kHex[engine() % 16];
  return id;
}

void send_json(Responder& out, int status, const json& body) {
  out.send(status, "application/json", dump_json(body));
}

// Counts a request as active while it generates or waits for the model.
class ActiveSlot {
 public:
  ActiveSlot(std::atomic<int>& active, int limit) : active_(active) {
    if (active_.fetch_add(1) >= limit) {
      active_.fetch_sub(1);
      throw ApiError(429,
                     cat("the server is busy with ", limit,
                         " requests; retry shortly (forge serve "
                         "--max-concurrent raises the limit)"),
                     "", "rate_limit_exceeded", "rate_limit_error");
    }
  }
  ~ActiveSlot() { active_.fetch_sub(1); }
  ActiveSlot(const ActiveSlot&) = delete;
  ActiveSlot& operator=(const ActiveSlot&) = delete;

 private:
  std::atomic<int>& active_;
};

// A streamed answer: headers and the first chunk go out with the first text, so an error
// found before any text still gets a proper status.
class EventStream {
 public:
  EventStream(Responder& out, const std::atomic<bool>& stopping, json first)
      : out_(out), stopping_(stopping), first_(std::move(first)) {}

  bool write(const json& event) {
    begin();
    if (gone_ || !out_.write_chunk(sse_event(event))) gone_ = true;
    return !gone_ && !stopping_;
  }
  bool started() const { return started_; }
  void finish() {
    begin();
    if (!gone_ && out_.write_chunk(kSseDone)) out_.end_stream();
  }

 private:
  void begin() {
    if (started_) return;
    started_ = true;
    gone_ = !out_.start_stream();
    if (!first_.is_null() && !gone_ && !out_.write_chunk(sse_event(first_))) gone_ = true;
  }

  Responder& out_;
  const std::atomic<bool>& stopping_;
  json first_;
  bool started_ = false, gone_ = false;
};

std::string error_code(const Error& e) {
  return dynamic_cast<const ContextLengthError*>(&e) ? "context_length_exceeded" : "";
}

std::string client_reason(const std::string& finish) {
  return finish == "cancelled" ? "stop" : finish;
}

}  // namespace

Api::Api(ChatBackend& backend, Limits limits, const std::atomic<bool>& stopping)
    : backend_(backend), limits_(limits), stopping_(stopping), started_(now_s()) {}

void Api::handle(const HttpRequest& request, Responder& out) {
  const std::string path = request.target.substr(0, request.target.find('?'));
  const std::string model_path = "/v1/models/" + backend_.model_name();
  try {
    const bool get = request.method == "GET", post = request.method == "POST";
    if (path == "/" || path == "/index.html") {
      if (!get) throw ApiError(405, cat("use GET for ", path));
      out.send(200, "text/html; charset=utf-8", web_page());
    } else if (path == "/v1/models" || path == model_path) {
      if (!get) throw ApiError(405, cat("use GET for ", path));
      json list = models_json(backend_.model_name(), started_);
      send_json(out, 200, path == model_path ? list["data"][0] : list);
    } else if (path == "/v1/chat/completions") {
      if (!post) throw ApiError(405, cat("use POST for ", path));
      chat(request, out);
    } else if (path == "/v1/completions") {
      if (!post) throw ApiError(405, cat("use POST for ", path));
      text(request, out);
    } else if (path.starts_with("/v1/models/")) {
      throw ApiError(404,
                     cat("the model '", path.substr(11), "' does not exist; this server has '",
                         backend_.model_name(), "'"),
                     "model", "model_not_found");
    } else {
      throw ApiError(404,
                     cat("Invalid URL (", request.method, " ", path,
                         "); the routes are GET /, GET /v1/models, POST /v1/chat/completions "
                         "and POST /v1/completions"),
                     "", "unknown_url");
    }
  } catch (const ApiError& e) {
    out.note = cat("error: ", e.what());
    send_json(out, e.status, e.to_json());
  } catch (const std::exception& e) {
    out.note = cat("internal error: ", e.what());
    send_json(out, 500,
              ApiError(500, cat("internal error: ", e.what()), "", "", "server_error").to_json());
  }
}

void Api::chat(const HttpRequest& request, Responder& out) {
  ChatRequest parsed = parse_chat_request(request.body, limits_);
  ActiveSlot slot(active_, limits_.max_concurrent);
  ResponseId id{response_id("chatcmpl-"), now_s(), backend_.model_name()};
  Completion done;
  EventStream events(out, stopping_, chat_chunk_json(id, {{"role", "assistant"}, {"content", ""}}));
  try {
    if (parsed.stream)
      done = backend_.complete_chat(
          parsed.messages, parsed.params,
          [&](std::string_view t) {
            if (t.empty()) return !stopping_.load();
            return events.write(chat_chunk_json(id, {{"content", std::string(t)}}));
          },
          [&](const ChatMessage& step) {
            return events.write(chat_chunk_json(id, turn_step_delta(step)));
          });
    else
      done = backend_.complete_chat(
          parsed.messages, parsed.params, [&](std::string_view) { return !stopping_.load(); },
          [&](const ChatMessage&) { return !stopping_.load(); });
  } catch (const Error& e) {
    ApiError error(400, e.what(), "messages", error_code(e));
    if (!events.started()) throw error;
    events.write(error.to_json());
    return events.finish();
  }
  out.note = cat(done.prompt_tokens, "+", done.completion_tokens, " tokens, ", done.finish_reason);
  done.finish_reason = client_reason(done.finish_reason);
  if (!parsed.stream) return send_json(out, 200, chat_completion_json(id, done));
  if (!done.tool_calls.empty())
    events.write(chat_chunk_json(id, tool_calls_delta(done.tool_calls)));
  events.write(chat_chunk_json(id, json::object(), done.finish_reason));
  if (parsed.include_usage) events.write(usage_chunk_json(id, done, "chat.completion.chunk"));
  events.finish();
}

void Api::text(const HttpRequest& request, Responder& out) {
  TextRequest parsed = parse_text_request(request.body, limits_);
  ActiveSlot slot(active_, limits_.max_concurrent);
  ResponseId id{response_id("cmpl-"), now_s(), backend_.model_name()};
  Completion done;
  EventStream events(out, stopping_, json());
  try {
    if (parsed.stream)
      done = backend_.complete_text(parsed.prompt, parsed.params, [&](std::string_view t) {
        if (t.empty()) return !stopping_.load();
        return events.write(text_chunk_json(id, std::string(t)));
      });
    else
      done = backend_.complete_text(parsed.prompt, parsed.params,
                                    [&](std::string_view) { return !stopping_.load(); });
  } catch (const Error& e) {
    ApiError error(400, e.what(), "prompt", error_code(e));
    if (!events.started()) throw error;
    events.write(error.to_json());
    return events.finish();
  }
  out.note = cat(done.prompt_tokens, "+", done.completion_tokens, " tokens, ", done.finish_reason);
  done.finish_reason = client_reason(done.finish_reason);
  if (!parsed.stream) return send_json(out, 200, text_completion_json(id, done));
  events.write(text_chunk_json(id, "", done.finish_reason));
  if (parsed.include_usage) events.write(usage_chunk_json(id, done, "text_completion"));
  events.finish();
}

}  // namespace forge::serve
