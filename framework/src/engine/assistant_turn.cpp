#include "engine/assistant_turn.h"

#include "engine/generate.h"

#include <algorithm>
#include <optional>

namespace forge {
namespace {

TokenId marker(const Tokenizer& tokenizer, const std::string& name) {
  auto id = tokenizer.special_token(name);
  if (!id)
    throw Error(cat("assistant turn: the tokenizer lacks the chat marker '", name,
                    "'; add it to the tokenizer's special_tokens"));
  return *id;
}

// The length of `text` without a UTF-8 character cut short at its end, so that a streamed
// delta never splits a character across two events.
std::size_t complete_prefix(const std::string& text) {
  std::size_t i = text.size();
  while (i > 0 && (static_cast<unsigned char>(text[i - 1]) & 0xC0) == 0x80) --i;
  if (i == 0) return text.size();
  const auto lead = static_cast<unsigned char>(text[i - 1]);
  const std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  return i - 1 + length > text.size() ? i - 1 : text.size();
}

// Follows the generated tokens: streams text, gathers the tool call being written.
class TurnStream {
 public:
  TurnStream(const Tokenizer& tokenizer, std::optional<TokenId> call_start,
             const TurnCallback& on_event)
      : tokenizer_(tokenizer), call_start_(call_start), on_event_(on_event) {}

  void token(TokenId id, bool is_stop) {
    if (call_start_ && id == *call_start_) {
      flush();
      in_call_ = true;
      call_.clear();
      return;
    }
    if (is_stop) return flush();
    if (in_call_) {
      call_.push_back(id);
      return;
    }
    text_.push_back(id);
    emit(false);
  }

  // The call closed by <|tool_end|>, split as parse_chat splits it; nullopt for a stray end.
  std::optional<ToolCall> take_call() {
    flush();
    if (!in_call_) return std::nullopt;
    in_call_ = false;
    const std::string text = tokenizer_.decode(call_);
    const std::size_t space = text.find(' ');
    return ToolCall{text.substr(0, space),
                    space == std::string::npos ? "" : text.substr(space + 1)};
  }

  void flush() {
    emit(true);
    text_.clear();
    emitted_ = 0;
  }

 private:
  void emit(bool all) {
    if (!on_event_ || text_.empty()) return;
    const std::string decoded = tokenizer_.decode(text_);
    const std::size_t upto = all ? decoded.size() : complete_prefix(decoded);
    if (upto <= emitted_) return;
    on_event_({TurnEvent::Kind::text, decoded.substr(emitted_, upto - emitted_), {}, false});
    emitted_ = upto;
  }

  const Tokenizer& tokenizer_;
  std::optional<TokenId> call_start_;
  const TurnCallback& on_event_;
  std::vector<TokenId> text_, call_;
  std::size_t emitted_ = 0;
  bool in_call_ = false;
};

ToolResult run_call(const ToolCall& call, const ToolMap& tools, const TurnLimits& limits,
                    int number) {
  if (number > limits.calls)
    return ToolResult::error(cat("error: the limit of ", limits.calls,
                                 " tool calls per turn is reached; the call was not run. ",
                                 "Answer with what you have."));
  auto found = tools.find(call.name);
  if (found == tools.end() || !found->second) {
    std::string names;
    for (const auto& [name, tool] : tools) names += (names.empty() ? "" : ", ") + name;
    return ToolResult::error(
        cat("error: there is no tool named '", call.name, "'; ",
            names.empty() ? "no tools are available" : "the tools are: " + names));
  }
  ToolResult result;
  try {
    result = found->second->run(call.arguments, ToolLimits{limits.seconds, limits.output_chars});
  } catch (const std::exception& e) {
    return ToolResult::error(cat("error: the tool ", call.name, " failed: ", e.what()));
  }
  // A tool that ignores the output limit is cut here.
  if (result.output.size() > limits.output_chars)
    result.output = truncate_output(result.output, limits.output_chars);
  return result;
}

// The messages the turn's ids hold, read by parse_chat behind a header. A resumed turn's
// leading empty message is no message of its own, as parse_chat reads the whole conversation.
std::vector<ChatMessage> turn_messages(const Tokenizer& tokenizer, const ChatTemplate& chat,
                                       const std::vector<TokenId>& turn, bool resumed) {
  std::vector<TokenId> ids = {marker(tokenizer, chat.start)};
  for (TokenId id : tokenizer.encode("assistant")) ids.push_back(id);
  ids.push_back(marker(tokenizer, chat.separator));
  ids.insert(ids.end(), turn.begin(), turn.end());
  std::vector<ChatMessage> messages = parse_chat(tokenizer, ids, chat);
  if (resumed && !messages.empty() && messages.front().content.empty() &&
      messages.front().tool_calls.empty())
    messages.erase(messages.begin());
  return messages;
}

}  // namespace

TurnResult assistant_turn(Model& model, const Tokenizer& tokenizer, const Sampler& sampler,
                          const ToolMap& tools, const ChatTemplate& chat,
                          const TurnRequest& request, const TurnCallback& on_event) {
  const TokenId end = marker(tokenizer, chat.end);
  const std::optional<TokenId> call_start = tokenizer.special_token(chat.tool_start);
  const std::optional<TokenId> call_end = tokenizer.special_token(chat.tool_end);
  std::vector<TokenId> ids = render_chat(tokenizer, request.conversation, chat, true).ids;
  const std::int64_t context = model.shape().context;
  if (static_cast<std::int64_t>(ids.size()) >= context)
    throw Error(cat("assistant turn: the conversation has ", ids.size(),
                    " tokens, which leaves no room in the model's context of ", context,
                    "; drop earlier messages"));
  std::vector<TokenId> stops = {end};
  if (call_end) stops.push_back(*call_end);
  // End-of-text or a new message's header also end the turn, but leave it unclosed.
  std::vector<TokenId> strays = {tokenizer.end_of_text(), marker(tokenizer, chat.start)};
  stops.insert(stops.end(), strays.begin(), strays.end());
  std::optional<TokenId> output_start, output_end;
  if (call_start && call_end) {
    output_start = marker(tokenizer, chat.output_start);
    output_end = marker(tokenizer, chat.output_end);
  }

  TurnResult result;
  TurnStream stream(tokenizer, call_start, on_event);
  std::vector<TokenId> turn;
  std::int64_t budget = request.max_tokens;
  for (std::uint64_t pass = 0;; ++pass) {
    if (budget <= 0) {
      result.finish = "length";
      break;
    }
    if (static_cast<std::int64_t>(ids.size()) >= context) {
      result.finish = "context";
      break;
    }
    GenerationRequest generation;
    generation.prompts = {ids};
    generation.max_tokens = budget;
    generation.stop_tokens = stops;
    generation.seed = request.seed + pass;
    GenerationRow row =
        std::move(generate(model, sampler, generation, [&](std::size_t, TokenId id) {
                    stream.token(id, std::find(stops.begin(), stops.end(), id) != stops.end());
                  }).front());
    budget -= static_cast<std::int64_t>(row.tokens.size());
    const bool stray = row.finish == "stop" &&
                       std::find(strays.begin(), strays.end(), row.tokens.back()) != strays.end();
    result.tokens.insert(result.tokens.end(), row.tokens.begin(), row.tokens.end());
    result.sampled.insert(result.sampled.end(), row.tokens.size(), 1);
    if (stray) row.tokens.pop_back();
    ids.insert(ids.end(), row.tokens.begin(), row.tokens.end());
    turn.insert(turn.end(), row.tokens.begin(), row.tokens.end());
    if (stray || row.finish != "stop" || row.tokens.back() == end) {
      stream.flush();
      result.finish = stray ? "unclosed" : row.finish;
      break;
    }
    std::optional<ToolCall> call = stream.take_call();
    if (!call) continue;  // a stray <|tool_end|> outside a call stays as text
    ++result.tool_calls;
    if (on_event) on_event({TurnEvent::Kind::tool_call, {}, *call, false});
    ToolResult outcome = run_call(*call, tools, request.limits, result.tool_calls);
    const std::string pasted = tool_result_text(outcome);
    std::vector<TokenId> paste = {*output_start};
    for (TokenId id : tokenizer.encode(pasted)) paste.push_back(id);
    paste.push_back(*output_end);
    ids.insert(ids.end(), paste.begin(), paste.end());
    turn.insert(turn.end(), paste.begin(), paste.end());
    result.tokens.insert(result.tokens.end(), paste.begin(), paste.end());
    result.sampled.insert(result.sampled.end(), paste.size(), 0);
    if (on_event) on_event({TurnEvent::Kind::tool_output, pasted, *call, outcome.failed});
  }
  const bool resumed = !request.conversation.empty() && request.conversation.back().role == "tool";
  result.messages = turn_messages(tokenizer, chat, turn, resumed);
  return result;
}

}  // namespace forge
