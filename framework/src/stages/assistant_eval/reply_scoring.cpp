#include "stages/assistant_eval/reply_scoring.h"

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

std::string final_reply(const std::vector<ChatMessage>& messages) {
  for (auto it = messages.rbegin(); it != messages.rend(); ++it)
    if (it->role == "assistant") return it->content;
  return "";
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
