#pragma once

// Request bodies of /v1/chat/completions and /v1/completions: parsed, checked against the
// server's limits, and turned into what a ChatBackend takes. Every problem is an ApiError
// (400, or 413 for a body over the limit) naming the field.

#include "serve/api_error.h"
#include "serve/chat_backend.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace forge::serve {

struct Limits {
  std::size_t max_body_bytes = 1 << 20;
  std::int64_t max_tokens = 512;  // per request; also the default when a request names none
  int max_concurrent = 4;         // requests generating or waiting for the model
};

struct ChatRequest {
  std::vector<ChatMessage> messages;
  GenerationParams params;
  bool stream = false;
  bool include_usage = false;  // stream_options.include_usage
};

struct TextRequest {
  std::string prompt;
  GenerationParams params;
  bool stream = false;
  bool include_usage = false;
};

ChatRequest parse_chat_request(std::string_view body, const Limits& limits);
TextRequest parse_text_request(std::string_view body, const Limits& limits);

}  // namespace forge::serve
