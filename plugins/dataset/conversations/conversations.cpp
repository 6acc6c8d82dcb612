// Dataset `conversations`: JSON Lines of chats for fine-tuning, in OpenAI's messages format
// ({"messages": [{"role": ..., "content": ...}, ...]}) or as prompt/completion pairs. Each line
// becomes a document whose metadata.messages holds the validated messages; its text is a plain
// "role: content" transcript for filters and for reading.
#include <forge/chat.h>
#include <forge/dataset.h>
#include <forge/error.h>
#include <forge/files.h>
#include <forge/node.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace forge {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

class Conversations : public Dataset {
 public:
  explicit Conversations(const Config& config)
      : paths_(config.strings("paths")),
        messages_key_(config.string("messages_key")),
        prompt_key_(config.string("prompt_key")),
        completion_key_(config.string("completion_key")),
        system_(config.string("system")) {
    if (paths_.empty()) config.fail("paths", "conversations: nothing to read; set 'paths'");
  }

  std::vector<std::string> shards() const override { return expand_globs(paths_); }

  void read(const std::string& shard, const std::function<bool(Document&&)>& sink) const override {
    read_json_lines(
        shard, [&](Json&& object, const std::string& where) { return sink(parse(object, where)); });
  }

 private:
  Document parse(Json& object, const std::string& where) const {
    std::vector<ChatMessage> messages;
    if (object.contains(messages_key_)) {
      messages = chat_from_json(object[messages_key_], cat(where, ": ", messages_key_));
    } else if (object.contains(prompt_key_) && object.contains(completion_key_)) {
      for (const auto& [key, role] :
           {std::pair{&prompt_key_, "user"}, std::pair{&completion_key_, "assistant"}}) {
        const Json& value = object[*key];
        if (!value.is_string())
          throw Error(cat(where, ": '", *key, "' must be a string, found ", value.type_name()));
        messages.push_back({role, value.get<std::string>(), {}});
      }
    } else {
      throw Error(cat(where, ": expected '", messages_key_, "' (OpenAI messages) or '", prompt_key_,
                      "' and '", completion_key_, "'"));
    }
    if (std::none_of(messages.begin(), messages.end(),
                     [](const ChatMessage& m) { return m.role == "assistant"; }))
      throw Error(cat(where, ": the conversation has no assistant message, so nothing to learn"));
    if (!system_.empty() && messages.front().role != "system")
      messages.insert(messages.begin(), {"system", system_, {}});
    Document document;
    document.id = where;
    if (auto id = object.find("id"); id != object.end() && (id->is_string() || id->is_number()))
      document.id = id->is_string() ? id->get<std::string>() : id->dump();
    document.text = chat_transcript(messages);
    document.metadata["messages"] = chat_to_json(messages);
    return document;
  }

  std::vector<std::string> paths_;
  std::string messages_key_, prompt_key_, completion_key_, system_;
};

std::vector<PluginInfo> plugins() {
  Schema schema{
      param::string_list("paths")
          .fallback(std::vector<std::string>{})
          .doc("JSON Lines files (plain or gzip) or glob patterns, one conversation per line"),
      param::string("messages_key").fallback("messages").doc("field holding OpenAI messages"),
      param::string("prompt_key")
          .fallback("prompt")
          .doc("field of a prompt/completion pair's prompt (the user's turn)"),
      param::string("completion_key")
          .fallback("completion")
          .doc("field of a prompt/completion pair's completion (the assistant's turn)"),
      param::string("system").fallback("").doc(
          "a system message put first in conversations that have none; empty: none"),
  };
  return {describe_plugin<Conversations>(
      "conversations", "1.0",
      "chats for fine-tuning: OpenAI messages or prompt/completion pairs, JSON Lines",
      std::move(schema))};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
