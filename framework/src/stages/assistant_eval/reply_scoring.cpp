#include "stages/assistant_eval/reply_scoring.h"

#include <algorithm>
#include <cctype>

namespace forge {

std::string normalized_reply(const std::string& text) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isspace(u)) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += static_cast<char>(std::tolower(u));
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

HeldOutChat split_at_reply(const std::vector<ChatMessage>& messages) {
  auto first = std::find_if(messages.begin(), messages.end(),
                            [](const ChatMessage& m) { return m.role == "assistant"; });
  return {{messages.begin(), first}, {first, messages.end()}};
}

std::string final_reply(const std::vector<ChatMessage>& messages) {
  for (auto it = messages.rbegin(); it != messages.rend(); ++it)
    if (it->role == "assistant") return it->content;
  return "";
}

bool holds_answer(const std::string& reply, const std::string& answer) {
  const std::string text = normalized_reply(reply), wanted = normalized_reply(answer);
  if (wanted.empty()) return false;
  auto word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  for (std::size_t at = text.find(wanted); at != std::string::npos;
       at = text.find(wanted, at + 1)) {
    const bool starts = at == 0 || !word_char(text[at - 1]) || !word_char(wanted.front());
    const std::size_t end = at + wanted.size();
    const bool ends = end == text.size() || !word_char(text[end]) || !word_char(wanted.back());
    if (starts && ends) return true;
  }
  return false;
}

bool reply_correct(const ReplyCheck& check, const std::string& reply,
                   const std::string& reference) {
  const std::string got = normalized_reply(reply);
  if (check.match == "final") return got == normalized_reply(reference);
  for (const std::string& part : check.contains)
    if (got.find(normalized_reply(part)) == std::string::npos) return false;
  return true;
}

}  // namespace forge
