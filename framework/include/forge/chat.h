#pragma once

// Conversations as token ids, ChatML style: every message is
//   <|im_start|> ROLE <|im_sep|> CONTENT <|im_end|>
// with the three markers special tokens of the tokenizer (their names are settings), and a
// loss mask that is 1 exactly on what the assistant writes: its content and its <|im_end|>.

#include <forge/export.h>
#include <forge/tokenizer.h>

#include <string>
#include <vector>

namespace forge {

struct ChatMessage {
  std::string role;  // system, user, assistant or tool
  std::string content;
  bool operator==(const ChatMessage&) const = default;
};

struct ChatTemplate {
  std::string start = "<|im_start|>", separator = "<|im_sep|>", end = "<|im_end|>";
};

struct RenderedChat {
  std::vector<TokenId> ids;
  std::vector<std::uint8_t> mask;  // per id: 1 where the assistant writes
};

// Renders `messages`; with `generation_prompt`, ends with "<|im_start|>assistant<|im_sep|>"
// for the model to continue. Content is ordinary text: a special token's spelling inside it
// stays plain characters, so a message cannot close its own turn. Throws forge::Error when the
// tokenizer lacks one of the markers (add it with the tokenizer's special_tokens) or a role
// is unknown.
FORGE_API RenderedChat render_chat(const Tokenizer& tokenizer,
                                   const std::vector<ChatMessage>& messages,
                                   const ChatTemplate& chat = {}, bool generation_prompt = false);

// The messages in rendered ids. A last message without its end marker (a reply cut short)
// comes back with what it has; ids outside any message are an error naming the position.
FORGE_API std::vector<ChatMessage> parse_chat(const Tokenizer& tokenizer,
                                              const std::vector<TokenId>& ids,
                                              const ChatTemplate& chat = {});

}  // namespace forge
