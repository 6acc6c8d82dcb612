#pragma once

// One assistant turn with tool use: generate until the model ends its turn or closes a tool
// call; run the named tool, paste its output between the output markers, and resume. What the
// turn wrote comes back as the messages parse_chat would read from its ids.

#include <forge/architecture.h>
#include <forge/chat.h>
#include <forge/export.h>
#include <forge/sampler.h>
#include <forge/tokenizer.h>
#include <forge/tool.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace forge {

// Tools by the name the model calls them with. The tools are not owned.
using ToolMap = std::map<std::string, const Tool*>;

struct TurnLimits {
  int calls = 8;                    // tool calls per turn; later calls get a message instead
  std::size_t output_chars = 4000;  // pasted characters per call at most
  double seconds = 10;              // wall-clock seconds per call
};

struct TurnRequest {
  std::vector<ChatMessage> conversation;  // so far; may end with tool messages (a turn resumed)
  std::int64_t max_tokens = 512;          // tokens the model writes in the turn, all together
  std::uint64_t seed = 0;                 // each generation pass draws from seed + its index
  TurnLimits limits;
};

// What a REPL or a server shows while the turn runs.
struct TurnEvent {
  enum class Kind { text, tool_call, tool_output };
  Kind kind = Kind::text;
  std::string text;     // text: the new characters; tool_output: what was pasted
  ToolCall call;        // tool_call, tool_output: the call
  bool failed = false;  // tool_output: the tool failed, was unknown or hit a limit
};
using TurnCallback = std::function<void(const TurnEvent&)>;

struct TurnResult {
  std::vector<ChatMessage> messages;  // assistant messages (with tool_calls) and tool messages
  // "stop" (<|im_end|>), "length" (max_tokens), "context" (the model's limit), "unclosed"
  // (the model wrote end-of-text or a new message's header instead of <|im_end|>)
  std::string finish;
  int tool_calls = 0;  // calls the model made, run or refused
  // Every token after the prompt in order, as sampled or pasted (a stray end included), and 1
  // where the model sampled it, 0 where the engine pasted a tool's output: what RL learns from.
  std::vector<TokenId> tokens;
  std::vector<std::uint8_t> sampled;
};

// Runs one assistant turn. Unknown tools, failing tools and calls past limits.calls become
// error outputs for the model, never exceptions. Throws forge::Error when the tokenizer lacks
// the chat template's markers or the conversation does not fit in the model's context.
FORGE_API TurnResult assistant_turn(Model& model, const Tokenizer& tokenizer,
                                    const Sampler& sampler, const ToolMap& tools,
                                    const ChatTemplate& chat, const TurnRequest& request,
                                    const TurnCallback& on_event = {});

}  // namespace forge
