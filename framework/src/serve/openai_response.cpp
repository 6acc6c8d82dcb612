#include "serve/openai_response.h"

namespace forge::serve {
namespace {

using nlohmann::json;

json reason_or_null(const std::string& finish_reason) {
  return finish_reason.empty() ? json() : json(finish_reason);
}

json tool_calls_json(const std::vector<ToolCall>& calls, bool with_index) {
  json out = json::array();
  for (std::size_t i = 0; i < calls.size(); ++i) {
    json call = {{"id", "call_" + std::to_string(i)},
                 {"type", "function"},
                 {"function", {{"name", calls[i].name}, {"arguments", calls[i].arguments}}}};
    if (with_index) call["index"] = i;
    out.push_back(std::move(call));
  }
  return out;
}

json head(const ResponseId& id, const char* object) {
  return {{"id", id.id}, {"object", object}, {"created", id.created}, {"model", id.model}};
}

}  // namespace

json usage_json(const Completion& c) {
  return {{"prompt_tokens", c.prompt_tokens},
          {"completion_tokens", c.completion_tokens},
          {"total_tokens", c.prompt_tokens + c.completion_tokens}};
}

json chat_completion_json(const ResponseId& id, const Completion& c) {
  json message = {{"role", "assistant"}, {"content", c.text}};
  if (!c.tool_calls.empty()) message["tool_calls"] = tool_calls_json(c.tool_calls, false);
  // Tools that ran on the server: the whole turn, for the client to send back.
  if (!c.turn.empty()) message["forge_turn"] = chat_to_json(c.turn);
  json out = head(id, "chat.completion");
  out["choices"] = json::array({{{"index", 0},
                                 {"message", std::move(message)},
                                 {"logprobs", nullptr},
                                 {"finish_reason", c.finish_reason}}});
  out["usage"] = usage_json(c);
  return out;
}

json text_completion_json(const ResponseId& id, const Completion& c) {
  json out = head(id, "text_completion");
  out["choices"] = json::array({{{"index", 0},
                                 {"text", c.text},
                                 {"logprobs", nullptr},
                                 {"finish_reason", c.finish_reason}}});
  out["usage"] = usage_json(c);
  return out;
}

json models_json(const std::string& model, std::int64_t created) {
  return {
      {"object", "list"},
      {"data",
       json::array(
           {{{"id", model}, {"object", "model"}, {"created", created}, {"owned_by", "forge"}}})}};
}

json chat_chunk_json(const ResponseId& id, json delta, const std::string& finish_reason) {
  json out = head(id, "chat.completion.chunk");
  out["choices"] = json::array({{{"index", 0},
                                 {"delta", std::move(delta)},
                                 {"logprobs", nullptr},
                                 {"finish_reason", reason_or_null(finish_reason)}}});
  return out;
}

json tool_calls_delta(const std::vector<ToolCall>& calls) {
  return {{"tool_calls", tool_calls_json(calls, true)}};
}

json turn_step_delta(const ChatMessage& step) { return {{"forge_step", chat_to_json({step})[0]}}; }

json text_chunk_json(const ResponseId& id, const std::string& text,
                     const std::string& finish_reason) {
  json out = head(id, "text_completion");
  out["choices"] = json::array({{{"index", 0},
                                 {"text", text},
                                 {"logprobs", nullptr},
                                 {"finish_reason", reason_or_null(finish_reason)}}});
  return out;
}

json usage_chunk_json(const ResponseId& id, const Completion& c, const char* object) {
  json out = head(id, object);
  out["choices"] = json::array();
  out["usage"] = usage_json(c);
  return out;
}

std::string dump_json(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string sse_event(const json& data) { return "data: " + dump_json(data) + "\n\n"; }

}  // namespace forge::serve
