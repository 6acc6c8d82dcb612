// OpenAI's chat-messages JSON to and from ChatMessage.
#include <forge/chat.h>
#include <forge/error.h>

namespace forge {
namespace {

std::string text_of(const nlohmann::json& content, const std::string& where) {
  if (content.is_null()) return "";
  if (content.is_string()) return content.get<std::string>();
  if (!content.is_array())
    throw Error(
        cat(where, ": expected a string, null or a list of text parts, got ", content.type_name()));
  std::string text;
  for (std::size_t k = 0; k < content.size(); ++k) {
    const nlohmann::json& part = content[k];
    const std::string at = cat(where, "[", k, "]");
    if (!part.is_object() || part.value("type", "") != "text" || !part.contains("text") ||
        !part["text"].is_string())
      throw Error(cat(at, ": expected {\"type\": \"text\", \"text\": \"...\"}; only text parts ",
                      "are read"));
    text += part["text"].get<std::string>();
  }
  return text;
}

std::string string_field(const nlohmann::json& object, const char* key, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string())
    throw Error(cat(
        where, ".", key, ": expected a string",
        it == object.end() ? std::string(", missing") : ", got " + std::string(it->type_name())));
  return it->get<std::string>();
}

}  // namespace

std::vector<ChatMessage> chat_from_json(const nlohmann::json& messages, const std::string& where) {
  if (!messages.is_array())
    throw Error(cat(where, ": expected a list of messages, got ", messages.type_name()));
  std::vector<ChatMessage> out;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const nlohmann::json& m = messages[i];
    const std::string at = cat(where, "[", i, "]");
    if (!m.is_object()) throw Error(cat(at, ": expected an object with role and content"));
    ChatMessage message;
    message.role = string_field(m, "role", at);
    if (message.role == "developer") message.role = "system";  // OpenAI's newer name
    if (message.role != "system" && message.role != "user" && message.role != "assistant" &&
        message.role != "tool")
      throw Error(cat(at, ".role: '", message.role,
                      "' is not a role; roles are system, user, assistant and tool"));
    message.content =
        text_of(m.contains("content") ? m["content"] : nlohmann::json(), at + ".content");
    if (auto calls = m.find("tool_calls"); calls != m.end() && !calls->is_null()) {
      if (!calls->is_array()) throw Error(cat(at, ".tool_calls: expected a list"));
      for (std::size_t k = 0; k < calls->size(); ++k) {
        const std::string call_at = cat(at, ".tool_calls[", k, "]");
        const nlohmann::json& call = (*calls)[k];
        if (!call.is_object() || !call.contains("function") || !call["function"].is_object())
          throw Error(cat(call_at, ": expected {\"type\": \"function\", \"function\": {\"name\": ",
                          "..., \"arguments\": ...}}"));
        const nlohmann::json& function = call["function"];
        ToolCall parsed{string_field(function, "name", call_at + ".function"), ""};
        if (auto args = function.find("arguments"); args != function.end())
          parsed.arguments = args->is_string() ? args->get<std::string>() : args->dump();
        message.tool_calls.push_back(std::move(parsed));
      }
    }
    out.push_back(std::move(message));
  }
  return out;
}

nlohmann::json chat_to_json(const std::vector<ChatMessage>& messages) {
  nlohmann::json out = nlohmann::json::array();
  for (const ChatMessage& message : messages) {
    nlohmann::json m{{"role", message.role}, {"content", message.content}};
    if (!message.tool_calls.empty()) {
      m["tool_calls"] = nlohmann::json::array();
      for (const ToolCall& call : message.tool_calls)
        m["tool_calls"].push_back(
            {{"type", "function"},
             {"function", {{"name", call.name}, {"arguments", call.arguments}}}});
    }
    out.push_back(std::move(m));
  }
  return out;
}

std::string chat_transcript(const std::vector<ChatMessage>& messages) {
  std::string text;
  for (const ChatMessage& message : messages) {
    if (!text.empty()) text += '\n';
    text += message.role + ": " + message.content;
    for (const ToolCall& call : message.tool_calls)
      text += "\n[" + call.name + "] " + call.arguments;
  }
  return text;
}

}  // namespace forge
