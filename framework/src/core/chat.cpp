#include <forge/chat.h>
#include <forge/error.h>

#include <algorithm>
#include <array>
#include <optional>

namespace forge {
namespace {

constexpr std::array<std::string_view, 4> kRoles = {"system", "user", "assistant", "tool"};

TokenId need(const Tokenizer& tokenizer, const std::string& name) {
  auto id = tokenizer.special_token(name);
  if (!id)
    throw Error(cat("the chat template needs the special token '", name,
                    "', which the tokenizer lacks; add it to the tokenizer's special_tokens"));
  return *id;
}

struct Markers {
  TokenId start, separator, end;
  Markers(const Tokenizer& tokenizer, const ChatTemplate& chat)
      : start(need(tokenizer, chat.start)),
        separator(need(tokenizer, chat.separator)),
        end(need(tokenizer, chat.end)) {}
};

// The tool markers, looked up only when a conversation uses tools.
struct ToolMarkers {
  std::optional<TokenId> call_start, call_end, output_start, output_end;
  ToolMarkers(const Tokenizer& tokenizer, const ChatTemplate& chat)
      : call_start(tokenizer.special_token(chat.tool_start)),
        call_end(tokenizer.special_token(chat.tool_end)),
        output_start(tokenizer.special_token(chat.output_start)),
        output_end(tokenizer.special_token(chat.output_end)) {}
};

class Renderer {
 public:
  Renderer(const Tokenizer& tokenizer, const ChatTemplate& chat)
      : tokenizer_(tokenizer), m_(tokenizer, chat) {}

  void marker(TokenId id, std::uint8_t mask) { append({id}, mask); }
  void tool_marker(const std::string& name, std::uint8_t mask) {
    marker(need(tokenizer_, name), mask);
  }
  void text(const std::string& text, std::uint8_t mask) { append(tokenizer_.encode(text), mask); }
  void header(const std::string& role) {
    marker(m_.start, 0);
    text(role, 0);
    marker(m_.separator, 0);
  }
  const Markers& markers() const { return m_; }
  RenderedChat take() { return std::move(out_); }

 private:
  void append(const std::vector<TokenId>& ids, std::uint8_t mask) {
    out_.ids.insert(out_.ids.end(), ids.begin(), ids.end());
    out_.mask.insert(out_.mask.end(), ids.size(), mask);
  }
  const Tokenizer& tokenizer_;
  Markers m_;
  RenderedChat out_;
};

void check_message(const std::vector<ChatMessage>& messages, std::size_t i) {
  const ChatMessage& message = messages[i];
  if (std::find(kRoles.begin(), kRoles.end(), message.role) == kRoles.end())
    throw Error(cat("message ", i, " has role '", message.role,
                    "'; roles are system, user, assistant and tool"));
  if (!message.tool_calls.empty() && message.role != "assistant")
    throw Error(cat("message ", i, " (", message.role, ") has tool calls; only assistant ",
                    "messages call tools"));
  for (const ToolCall& call : message.tool_calls)
    if (call.name.empty() || call.name.find_first_of(" \t\n") != std::string::npos)
      throw Error(
          cat("message ", i, " calls a tool named '", call.name, "'; a tool's name is one word"));
  if (message.role == "tool" &&
      (i == 0 || (messages[i - 1].role != "assistant" && messages[i - 1].role != "tool")))
    throw Error(cat("message ", i, " is a tool message after ",
                    i == 0 ? std::string("nothing") : "a " + messages[i - 1].role + " message",
                    "; a tool's output follows the assistant message that called it"));
}

}  // namespace

RenderedChat render_chat(const Tokenizer& tokenizer, const std::vector<ChatMessage>& messages,
                         const ChatTemplate& chat, bool generation_prompt) {
  Renderer out(tokenizer, chat);
  bool open = false;  // an assistant turn continues after tool output
  for (std::size_t i = 0; i < messages.size(); ++i) {
    check_message(messages, i);
    const ChatMessage& message = messages[i];
    const ChatMessage* next = i + 1 < messages.size() ? &messages[i + 1] : nullptr;
    if (message.role == "tool") {
      out.tool_marker(chat.output_start, 0);
      out.text(message.content, 0);
      out.tool_marker(chat.output_end, 0);
      if (next && next->role != "assistant" && next->role != "tool") {
        out.marker(out.markers().end, 0);  // the turn ended on the output; nobody wrote more
        open = false;
      }
      continue;
    }
    const std::uint8_t learned = message.role == "assistant" ? 1 : 0;
    if (!(open && message.role == "assistant")) out.header(message.role);
    out.text(message.content, learned);
    for (const ToolCall& call : message.tool_calls) {
      out.tool_marker(chat.tool_start, 1);
      out.text(call.name + " " + call.arguments, 1);
      out.tool_marker(chat.tool_end, 1);
    }
    open = learned && next && next->role == "tool";
    if (!open) out.marker(out.markers().end, learned);  // the assistant learns to end its turn
  }
  if (generation_prompt && !open) out.header("assistant");
  return out.take();
}

std::vector<ChatMessage> parse_chat(const Tokenizer& tokenizer, const std::vector<TokenId>& ids,
                                    const ChatTemplate& chat) {
  const Markers m(tokenizer, chat);
  const ToolMarkers t(tokenizer, chat);
  std::vector<ChatMessage> out;
  std::size_t i = 0;
  auto is = [&](const std::optional<TokenId>& marker) {
    return i < ids.size() && marker && ids[i] == *marker;
  };
  // Text up to (not including) the first of `stops` or the end of the ids.
  auto until = [&](std::initializer_list<std::optional<TokenId>> stops) {
    const std::size_t begin = i;
    while (i < ids.size() && std::none_of(stops.begin(), stops.end(),
                                          [&](const auto& s) { return s && ids[i] == *s; }))
      ++i;
    return tokenizer.decode(std::vector<TokenId>(ids.begin() + static_cast<std::ptrdiff_t>(begin),
                                                 ids.begin() + static_cast<std::ptrdiff_t>(i)));
  };
  while (i < ids.size()) {
    if (ids[i] != m.start)
      throw Error(cat("id ", ids[i], " at position ", i, " is outside any message; a message ",
                      "starts with ", chat.start));
    ++i;
    ChatMessage message;
    message.role = until({m.separator});
    if (i < ids.size()) ++i;  // the separator
    if (message.role != "assistant") {
      message.content = until({m.end});
      if (i < ids.size()) ++i;  // the end marker
      out.push_back(std::move(message));
      continue;
    }
    // An assistant turn: text, tool calls, outputs, continuations, until the end marker.
    bool first = true;
    while (true) {
      message.content += until({m.end, t.call_start, t.output_start});
      while (is(t.call_start)) {
        ++i;
        std::string call = until({t.call_end, m.end});
        if (is(t.call_end)) ++i;
        const std::size_t space = call.find(' ');
        message.tool_calls.push_back(
            {call.substr(0, space), space == std::string::npos ? "" : call.substr(space + 1)});
        if (!is(t.call_start) && !is(t.output_start) && !is(m.end)) break;
      }
      const bool ended = is(m.end);
      if (ended) ++i;
      // After an output, "<|im_end|>" alone closes the turn; it is no message of its own.
      if (first || !message.content.empty() || !message.tool_calls.empty())
        out.push_back(std::move(message));
      first = false;
      message = ChatMessage{"assistant", "", {}};
      if (!is(t.output_start)) {
        if (ended || i >= ids.size()) break;
        continue;  // text after a tool call: the assistant's next message
      }
      while (is(t.output_start)) {
        ++i;
        out.push_back({"tool", until({t.output_end, m.end}), {}});
        if (is(t.output_end)) ++i;
      }
      if (i >= ids.size()) break;
    }
  }
  return out;
}

}  // namespace forge
