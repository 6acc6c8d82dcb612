// ModelBackend's chat reply with tools: one assistant turn of the engine, its text streamed
// through a TextStream and its tool calls and outputs reported as steps.
#include "engine/assistant_turn.h"
#include "serve/model_backend.h"
#include "serve/text_stream.h"

namespace forge::serve {
namespace {

// The engine streams every token's spelling; the special ones (a stray <|im_start|> of a
// weak model) are not text for the reader, as in the reply without tools.
std::string without_specials(std::string text, const Tokenizer& tokenizer) {
  for (const auto& [name, id] : tokenizer.special_tokens())
    for (std::size_t at; (at = text.find(name)) != std::string::npos;) text.erase(at, name.size());
  return text;
}

}  // namespace

Completion ModelBackend::run_turn(const std::vector<ChatMessage>& messages,
                                  std::size_t prompt_tokens, const GenerationParams& params,
                                  const DeltaCallback& on_delta, const TurnStepCallback& on_step) {
  check_context(prompt_tokens);
  TurnRequest request;
  request.conversation = messages;
  request.max_tokens = params.max_tokens;
  request.seed = seed_for(params);
  request.limits = limits_;

  Completion out;
  out.prompt_tokens = static_cast<std::int64_t>(prompt_tokens);
  out.turn = {{"assistant", "", {}}};
  TextStream stream(params.stop);
  bool cancelled = false;
  auto send = [&](const std::string& text) {
    out.turn.back().content += text;
    out.text += text;
    if (on_delta && !on_delta(text)) {
      cancelled = true;
      throw StopGenerating{};
    }
  };
  auto step = [&](ChatMessage message) {
    if (on_step && !on_step(message)) {
      cancelled = true;
      throw StopGenerating{};
    }
  };
  std::string finish = "length";
  std::lock_guard lock(model_mutex_);
  auto sampler = sampler_for(params);
  try {
    TurnResult turn =
        assistant_turn(*loaded_.model, *loaded_.tokenizer, *sampler, tools_.tools(), ChatTemplate{},
                       request, [&](const TurnEvent& event) {
                         switch (event.kind) {
                           case TurnEvent::Kind::text:
                             send(stream.push(without_specials(event.text, *loaded_.tokenizer)));
                             if (stream.stopped()) throw StopGenerating{};
                             break;
                           case TurnEvent::Kind::tool_call:
                             send(stream.finish());  // the text before the call goes out before it
                             stream = TextStream(params.stop);
                             out.turn.back().tool_calls.push_back(event.call);
                             step({"assistant", "", {event.call}});
                             break;
                           case TurnEvent::Kind::tool_output:
                             out.turn.push_back({"tool", event.text, {}});
                             out.turn.push_back({"assistant", "", {}});
                             step({"tool", event.text, {}});
                             break;
                         }
                       });
    send(stream.finish());
    finish = turn.finish == "length" || turn.finish == "context" ? "length" : "stop";
  } catch (const StopGenerating&) {
    finish = cancelled ? "cancelled" : "stop";
  }
  // A turn that ended right after a tool's output has no text of its own after it.
  if (out.turn.size() > 1 && out.turn.back().content.empty() && out.turn.back().tool_calls.empty())
    out.turn.pop_back();
  std::vector<ChatMessage> all = messages;
  all.insert(all.end(), out.turn.begin(), out.turn.end());
  // The turn's tokens as the template renders them, tool outputs included.
  try {
    out.completion_tokens =
        static_cast<std::int64_t>(render_chat(*loaded_.tokenizer, all).ids.size()) -
        out.prompt_tokens;
  } catch (const Error&) {
    out.completion_tokens = 0;  // a call the template cannot spell (a model's garbled name)
  }
  if (out.turn.size() == 1) out.turn.clear();  // no tool ran: a plain reply
  out.finish_reason = finish;
  return out;
}

}  // namespace forge::serve
