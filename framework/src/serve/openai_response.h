#pragma once

// Response bodies in OpenAI's shapes: whole completions, the chunks of a stream as
// server-sent events ("data: {...}\n\n", ending with "data: [DONE]\n\n"), and the model list.

#include "serve/chat_backend.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace forge::serve {

// What every object of one response shares.
struct ResponseId {
  std::string id;  // chatcmpl-... or cmpl-...
  std::int64_t created = 0;
  std::string model;
};

nlohmann::json usage_json(const Completion& completion);
nlohmann::json chat_completion_json(const ResponseId& id, const Completion& completion);
nlohmann::json text_completion_json(const ResponseId& id, const Completion& completion);
nlohmann::json models_json(const std::string& model, std::int64_t created);

// Chunks of a streamed chat: `delta` is {"role": "assistant"} first, then {"content": ...};
// the last has an empty delta and the finish reason. The usage chunk has no choices.
nlohmann::json chat_chunk_json(const ResponseId& id, nlohmann::json delta,
                               const std::string& finish_reason = "");
nlohmann::json tool_calls_delta(const std::vector<ToolCall>& calls);
// A step of a turn with tools that ran on the server, as a delta of its own:
// {"forge_step": {"role": "assistant", "tool_calls": [...]}} or {"forge_step": {"role": "tool",
// "content": ...}}. OpenAI's clients pass the unknown field through.
nlohmann::json turn_step_delta(const ChatMessage& step);
nlohmann::json text_chunk_json(const ResponseId& id, const std::string& text,
                               const std::string& finish_reason = "");
nlohmann::json usage_chunk_json(const ResponseId& id, const Completion& completion,
                                const char* object);

// One server-sent event; text that is not UTF-8 is replaced rather than thrown on.
std::string sse_event(const nlohmann::json& data);
inline constexpr const char* kSseDone = "data: [DONE]\n\n";
std::string dump_json(const nlohmann::json& value);

}  // namespace forge::serve
