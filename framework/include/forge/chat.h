#pragma once

// Conversations as token ids, ChatML style: every message is
//   <|im_start|> ROLE <|im_sep|> CONTENT <|im_end|>
// with the markers special tokens of the tokenizer (their names are settings), and a loss mask
// that is 1 exactly on what the assistant writes: its content, its tool calls and <|im_end|>.
//
// Tool use stays inside one assistant turn. An assistant message's tool calls follow its
// content as <|tool_start|> NAME ARGUMENTS <|tool_end|>; each following `tool` message is the
// output the engine pasted, <|output_start|> CONTENT <|output_end|> (mask 0); a following
// assistant message continues the same turn without a header:
//   <|im_start|>assistant<|im_sep|>Let me count.<|tool_start|>python print(...)<|tool_end|>
//   <|output_start|>3<|output_end|>There are 3.<|im_end|>
// The tool markers are needed only by conversations that use tools.

#include <forge/export.h>
#include <forge/tokenizer.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace forge {

struct ToolCall {
  std::string name;       // the tool plugin's name, e.g. python
  std::string arguments;  // what the tool reads: code, an expression, a query
  bool operator==(const ToolCall&) const = default;
};

struct ChatMessage {
  std::string role;  // system, user, assistant or tool
  std::string content;
  std::vector<ToolCall> tool_calls;  // assistant only: written after the content
  bool operator==(const ChatMessage&) const = default;
};

struct ChatTemplate {
  std::string start = "<|im_start|>", separator = "<|im_sep|>", end = "<|im_end|>";
  std::string tool_start = "<|tool_start|>", tool_end = "<|tool_end|>";
  std::string output_start = "<|output_start|>", output_end = "<|output_end|>";
};

struct RenderedChat {
  std::vector<TokenId> ids;
  std::vector<std::uint8_t> mask;  // per id: 1 where the assistant writes
};

// Renders `messages`; with `generation_prompt`, ends with "<|im_start|>assistant<|im_sep|>"
// for the model to continue (or, after a tool message, leaves the assistant's turn open).
// Content is ordinary text: a special token's spelling inside it stays plain characters, so a
// message cannot close its own turn. Throws forge::Error when the tokenizer lacks a marker
// (add it to the tokenizer's special_tokens), a role is unknown, a tool message follows
// something other than an assistant message or another tool message, or a tool call has no
// name or a name with spaces.
FORGE_API RenderedChat render_chat(const Tokenizer& tokenizer,
                                   const std::vector<ChatMessage>& messages,
                                   const ChatTemplate& chat = {}, bool generation_prompt = false);

// The messages in rendered ids, as render_chat would have been given them. A last message
// without its end marker (a reply cut short) comes back with what it has; ids outside any
// message are an error naming the position.
FORGE_API std::vector<ChatMessage> parse_chat(const Tokenizer& tokenizer,
                                              const std::vector<TokenId>& ids,
                                              const ChatTemplate& chat = {});

// OpenAI's chat messages: [{"role": ..., "content": "..." | null | [{"type": "text", "text":
// ...}], "tool_calls": [{"type": "function", "function": {"name": ..., "arguments": ...}}]}].
// Errors name the message and field ("messages[2].content: ..."); `where` prefixes them.
FORGE_API std::vector<ChatMessage> chat_from_json(const nlohmann::json& messages,
                                                  const std::string& where = "messages");
FORGE_API nlohmann::json chat_to_json(const std::vector<ChatMessage>& messages);

// A plain "role: content" line per message (tool calls as "[NAME] ARGUMENTS" lines): a
// conversation's text for filters and for reading.
FORGE_API std::string chat_transcript(const std::vector<ChatMessage>& messages);

}  // namespace forge
