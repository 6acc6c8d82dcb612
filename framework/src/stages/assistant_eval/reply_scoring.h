#pragma once

// How a generated reply is judged against a held-out conversation.

#include <forge/chat.h>
#include <forge/export.h>

#include <string>
#include <vector>

namespace forge {

struct ReplyCheck {
  std::string match = "final";        // final: the same final reply; contains: every string
  std::vector<std::string> contains;  // for `contains`, compared case-insensitively
};

// Lower case, whitespace runs as one space, trimmed: replies that differ only so are equal.
FORGE_API std::string normalized_reply(const std::string& text);

// A held-out conversation split at its first assistant message: what the model is asked and
// what it should answer.
struct HeldOutChat {
  std::vector<ChatMessage> prompt, reference;
};
FORGE_API HeldOutChat split_at_reply(const std::vector<ChatMessage>& messages);

// The last assistant message's content, or "" when there is none.
FORGE_API std::string final_reply(const std::vector<ChatMessage>& messages);

// Whether `answer` occurs in `reply` as whole words (case and spacing aside): "2" in "appears
// 2 times", not in "12".
FORGE_API bool holds_answer(const std::string& reply, const std::string& answer);

FORGE_API bool reply_correct(const ReplyCheck& check, const std::string& reply,
                             const std::string& reference);

}  // namespace forge
