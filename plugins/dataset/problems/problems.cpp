// Dataset `problems`: JSON Lines of problems with answer keys, for reinforcement learning.
// Each line is {"prompt": "...", "answer": ...}, {"messages": [...], "answer": ...} (messages
// up to the first assistant message are the prompt), or GSM8K's {"question": "...", "answer":
// "worked solution #### 72"}, whose final answer after "####" becomes the key and the rest
// metadata.solution. Documents carry metadata.messages (the prompt) and metadata.answer.
#include <forge/chat.h>
#include <forge/dataset.h>
#include <forge/error.h>
#include <forge/files.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace forge {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

std::string trimmed(const std::string& text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

class Problems : public Dataset {
 public:
  explicit Problems(const Config& config)
      : paths_(config.strings("paths")),
        prompt_key_(config.string("prompt_key")),
        messages_key_(config.string("messages_key")),
        question_key_(config.string("question_key")),
        answer_key_(config.string("answer_key")),
        system_(config.string("system")) {
    if (paths_.empty()) config.fail("paths", "problems: nothing to read; set 'paths'");
  }

  std::vector<std::string> shards() const override { return expand_globs(paths_); }

  void read(const std::string& shard, const std::function<bool(Document&&)>& sink) const override {
    read_json_lines(
        shard, [&](Json&& object, const std::string& where) { return sink(parse(object, where)); });
  }

 private:
  std::vector<ChatMessage> prompt_of(const Json& object, const std::string& where) const {
    std::vector<ChatMessage> prompt;
    if (object.contains(messages_key_)) {
      std::vector<ChatMessage> all =
          chat_from_json(object[messages_key_], cat(where, ": ", messages_key_));
      auto reply = std::find_if(all.begin(), all.end(),
                                [](const ChatMessage& m) { return m.role == "assistant"; });
      prompt.assign(all.begin(), reply);
    } else {
      for (const std::string* key : {&prompt_key_, &question_key_}) {
        if (!object.contains(*key)) continue;
        if (!object[*key].is_string())
          throw Error(
              cat(where, ": '", *key, "' must be a string, found ", object[*key].type_name()));
        prompt.push_back({"user", object[*key].get<std::string>(), {}});
        break;
      }
    }
    if (prompt.empty() || prompt.back().role != "user")
      throw Error(cat(where, ": expected '", prompt_key_, "', '", question_key_, "' or '",
                      messages_key_,
                      "' ending with a user message: the problem the model answers"));
    return prompt;
  }

  Document parse(const Json& object, const std::string& where) const {
    std::vector<ChatMessage> prompt = prompt_of(object, where);
    auto found = object.find(answer_key_);
    if (found == object.end() || found->is_null())
      throw Error(cat(where, ": no '", answer_key_,
                      "': every problem needs its answer key (a string or a number)"));
    if (!found->is_string() && !found->is_number())
      throw Error(cat(where, ": '", answer_key_, "' must be a string or a number, found ",
                      found->type_name()));
    std::string answer = found->is_string() ? found->get<std::string>() : found->dump();
    std::string solution;
    // GSM8K: the worked solution, then "#### ANSWER".
    if (const std::size_t hashes = answer.rfind("####"); hashes != std::string::npos) {
      solution = trimmed(answer.substr(0, hashes));
      answer = answer.substr(hashes + 4);
    }
    answer = trimmed(answer);
    if (answer.empty())
      throw Error(
          cat(where, ": '", answer_key_, "' is empty", solution.empty() ? "" : " after ####"));
    if (!system_.empty() && prompt.front().role != "system")
      prompt.insert(prompt.begin(), {"system", system_, {}});
    Document document;
    document.id = where;
    if (auto id = object.find("id"); id != object.end() && (id->is_string() || id->is_number()))
      document.id = id->is_string() ? id->get<std::string>() : id->dump();
    document.text = chat_transcript(prompt);
    document.metadata["messages"] = chat_to_json(prompt);
    document.metadata["answer"] = answer;
    if (!solution.empty()) document.metadata["solution"] = solution;
    return document;
  }

  std::vector<std::string> paths_;
  std::string prompt_key_, messages_key_, question_key_, answer_key_, system_;
};

std::vector<PluginInfo> plugins() {
  Schema schema{
      param::string_list("paths")
          .fallback(std::vector<std::string>{})
          .doc("JSON Lines files (plain or gzip) or glob patterns, one problem per line"),
      param::string("prompt_key").fallback("prompt").doc("field holding the problem as text"),
      param::string("messages_key")
          .fallback("messages")
          .doc("field holding the problem as OpenAI messages"),
      param::string("question_key").fallback("question").doc("GSM8K's field of the problem"),
      param::string("answer_key")
          .fallback("answer")
          .doc("field of the answer key; text after its last #### is the key (GSM8K)"),
      param::string("system").fallback("").doc(
          "a system message put first in problems that have none; empty: none"),
  };
  return {describe_plugin<Problems>(
      "problems", "1.0",
      "problems with answer keys for RL: prompt or messages plus answer, or GSM8K's format",
      std::move(schema))};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
