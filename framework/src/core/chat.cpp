#include <forge/chat.h>
#include <forge/error.h>

#include <algorithm>
#include <array>

namespace forge {
namespace {

constexpr std::array<std::string_view, 4> kRoles = {"system", "user", "assistant", "tool"};

struct Markers {
  TokenId start, separator, end;
};

Markers markers(const Tokenizer& tokenizer, const ChatTemplate& chat) {
  auto need = [&](const std::string& name) {
    auto id = tokenizer.special_token(name);
    if (!id)
      throw Error(cat("the chat template needs the special token '", name,
                      "', which the tokenizer lacks; add it to the tokenizer's special_tokens"));
    return *id;
  };
  return {need(chat.start), need(chat.separator), need(chat.end)};
}

void append(RenderedChat& out, const std::vector<TokenId>& ids, std::uint8_t mask) {
  out.ids.insert(out.ids.end(), ids.begin(), ids.end());
  out.mask.insert(out.mask.end(), ids.size(), mask);
}

}  // namespace

RenderedChat render_chat(const Tokenizer& tokenizer, const std::vector<ChatMessage>& messages,
                         const ChatTemplate& chat, bool generation_prompt) {
  const Markers m = markers(tokenizer, chat);
  RenderedChat out;
  auto header = [&](const std::string& role) {
    append(out, {m.start}, 0);
    append(out, tokenizer.encode(role), 0);
    append(out, {m.separator}, 0);
  };
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const ChatMessage& message = messages[i];
    if (std::find(kRoles.begin(), kRoles.end(), message.role) == kRoles.end())
      throw Error(cat("message ", i, " has role '", message.role,
                      "'; roles are system, user, assistant and tool"));
    const std::uint8_t learned = message.role == "assistant" ? 1 : 0;
    header(message.role);
    append(out, tokenizer.encode(message.content), learned);
    append(out, {m.end}, learned);  // the assistant learns to end its turn
  }
  if (generation_prompt) header("assistant");
  return out;
}

std::vector<ChatMessage> parse_chat(const Tokenizer& tokenizer, const std::vector<TokenId>& ids,
                                    const ChatTemplate& chat) {
  const Markers m = markers(tokenizer, chat);
  std::vector<ChatMessage> out;
  std::size_t i = 0;
  auto until = [&](TokenId marker) {
    const std::size_t begin = i;
    while (i < ids.size() && ids[i] != marker) ++i;
    return std::vector<TokenId>(ids.begin() + static_cast<std::ptrdiff_t>(begin),
                                ids.begin() + static_cast<std::ptrdiff_t>(i));
  };
  while (i < ids.size()) {
    if (ids[i] != m.start)
      throw Error(cat("id ", ids[i], " at position ", i, " is outside any message; a message ",
                      "starts with ", chat.start));
    ++i;
    ChatMessage message;
    message.role = tokenizer.decode(until(m.separator));
    if (i < ids.size()) ++i;  // the separator
    message.content = tokenizer.decode(until(m.end));
    if (i < ids.size()) ++i;  // the end marker
    out.push_back(std::move(message));
  }
  return out;
}

}  // namespace forge
