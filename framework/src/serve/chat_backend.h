#pragma once

// What the server asks of a model: one assistant reply to a conversation, or a continuation of
// text, streamed as it is made. The HTTP side knows nothing else about generation, so another
// engine (one that runs tool calls inside the turn) replaces ModelBackend in one place.

#include <forge/chat.h>
#include <forge/error.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace forge::serve {

struct GenerationParams {
  std::int64_t max_tokens = 256;
  double temperature = 1.0;  // 0 picks the most probable token
  double top_p = 1.0;
  std::optional<std::uint64_t> seed;  // absent: a fresh seed per request
  std::vector<std::string> stop;      // the text ends before the first of these
};

struct Completion {
  std::string text;                  // what was streamed, whole
  std::vector<ToolCall> tool_calls;  // chat only: calls the reply made for the client to run
  // Chat only, when tools ran inside the reply: the turn as messages (assistant with
  // tool_calls, tool, assistant, ...), which a client sends back to continue the conversation.
  std::vector<ChatMessage> turn;
  std::string finish_reason;  // stop, length
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
};

// Receives complete UTF-8 text as it is generated, and empty text after tokens that add none
// (so that it is asked often); returning false stops generation (the client went away or the
// server is shutting down).
using DeltaCallback = std::function<bool(std::string_view text)>;

// Receives each step of a turn with tools as it happens: an assistant message holding the
// call the model made, then a tool message with what the tool returned. Returning false stops.
using TurnStepCallback = std::function<bool(const ChatMessage& step)>;

// A prompt that leaves no room in the model's context; the API answers it with OpenAI's code
// context_length_exceeded.
class ContextLengthError : public Error {
 public:
  using Error::Error;
};

class ChatBackend {
 public:
  virtual ~ChatBackend() = default;
  virtual std::string model_name() const = 0;
  // Throw ContextLengthError for a prompt too long for the model, forge::Error for any other
  // request it cannot take (a conversation the chat template cannot render).
  virtual Completion complete_chat(const std::vector<ChatMessage>& messages,
                                   const GenerationParams& params, const DeltaCallback& on_delta,
                                   const TurnStepCallback& on_step) = 0;
  virtual Completion complete_text(const std::string& prompt, const GenerationParams& params,
                                   const DeltaCallback& on_delta) = 0;
};

}  // namespace forge::serve
