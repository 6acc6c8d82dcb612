// Dataset `rankings`: prompts with K responses ranked best to worst, one JSON object a line:
//   {"id": ..., "messages": [...] | "prompt": "...", "responses": [K strings],
//    "ranking": [indices into responses, best first], "scores": [K numbers] (optional),
//    "metadata": {...} (optional)}
// what the rankings stage writes and a reward model trains on. A document's text is the
// prompt's last user message; its metadata holds messages, responses, ranking, scores and every
// key of the line's own metadata (such as the topic a judge reads).
#include <forge/chat.h>
#include <forge/dataset.h>
#include <forge/error.h>
#include <forge/files.h>
#include <forge/node.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace forge {
namespace {

using Json = nlohmann::json;

std::vector<ChatMessage> prompt_of(const Json& line, const std::string& where) {
  const bool has_messages = line.contains("messages"), has_prompt = line.contains("prompt");
  if (has_messages && has_prompt)
    throw Error(cat(where, ": give 'messages' or 'prompt', not both"));
  if (has_prompt) {
    if (!line["prompt"].is_string())
      throw Error(cat(where, ": 'prompt' must be a string, found ", line["prompt"].type_name()));
    return {{"user", line["prompt"].get<std::string>(), {}}};
  }
  if (!has_messages)
    throw Error(cat(where, ": the prompt is missing; give 'messages' or 'prompt'"));
  return chat_from_json(line["messages"], cat(where, ": messages"));
}

std::vector<std::string> responses_of(const Json& line, const std::string& where) {
  if (!line.contains("responses"))
    throw Error(cat(where, ": 'responses' is missing; give the K replies that are ranked"));
  const Json& responses = line["responses"];
  if (!responses.is_array())
    throw Error(
        cat(where, ": 'responses' must be a list of strings, found ", responses.type_name()));
  if (responses.size() < 2)
    throw Error(cat(where, ": 'responses' holds ", responses.size(),
                    responses.size() == 1 ? " reply" : " replies", "; a ranking needs at least 2"));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < responses.size(); ++i) {
    if (!responses[i].is_string())
      throw Error(
          cat(where, ": responses[", i, "] must be a string, found ", responses[i].type_name()));
    out.push_back(responses[i].get<std::string>());
  }
  return out;
}

// `ranking` must list each index 0..K-1 once, best first.
void check_ranking(const Json& line, std::size_t k, const std::string& where) {
  if (!line.contains("ranking"))
    throw Error(cat(where, ": 'ranking' is missing; give the responses' indices, best first"));
  const Json& ranking = line["ranking"];
  const std::string expected = cat("a permutation of 0..", k - 1, " (one index per response)");
  if (!ranking.is_array() || ranking.size() != k)
    throw Error(cat(where, ": 'ranking' must be ", expected, "; found ", ranking.dump()));
  std::vector<bool> seen(k, false);
  for (const Json& index : ranking) {
    if (!index.is_number_integer() || index.get<std::int64_t>() < 0 ||
        index.get<std::int64_t>() >= static_cast<std::int64_t>(k) || seen[index.get<std::size_t>()])
      throw Error(cat(where, ": 'ranking' must be ", expected, "; found ", ranking.dump()));
    seen[index.get<std::size_t>()] = true;
  }
}

void check_scores(const Json& line, std::size_t k, const std::string& where) {
  const Json& scores = line["scores"];
  bool numbers = scores.is_array() && scores.size() == k;
  for (std::size_t i = 0; numbers && i < k; ++i) numbers = scores[i].is_number();
  if (!numbers)
    throw Error(
        cat(where, ": 'scores' must be ", k, " numbers, one per response; found ", scores.dump()));
}

Document parse(Json& line, const std::string& where) {
  Document document;
  document.id = where;
  if (auto id = line.find("id"); id != line.end() && (id->is_string() || id->is_number()))
    document.id = id->is_string() ? id->get<std::string>() : id->dump();
  const std::vector<ChatMessage> messages = prompt_of(line, where);
  for (auto m = messages.rbegin(); m != messages.rend() && document.text.empty(); ++m)
    if (m->role == "user") document.text = m->content;
  if (messages.empty() || messages.back().role != "user")
    throw Error(cat(where,
                    ": the prompt must end with a user message, the one the responses "
                    "answer"));
  const std::vector<std::string> responses = responses_of(line, where);
  check_ranking(line, responses.size(), where);
  Json& metadata = document.metadata;
  metadata["messages"] = chat_to_json(messages);
  metadata["responses"] = responses;
  metadata["ranking"] = line["ranking"];
  if (line.contains("scores")) {
    check_scores(line, responses.size(), where);
    metadata["scores"] = line["scores"];
  }
  if (line.contains("metadata")) {
    const Json& extra = line["metadata"];
    if (!extra.is_object())
      throw Error(cat(where, ": 'metadata' must be an object, found ", extra.type_name()));
    for (const auto& [key, value] : extra.items()) {
      if (metadata.contains(key))
        throw Error(
            cat(where, ": metadata.", key, " would hide the line's own '", key, "'; rename it"));
      metadata[key] = value;
    }
  }
  return document;
}

class Rankings : public Dataset {
 public:
  explicit Rankings(const Config& config) : path_(config.string("path")) {
    if (path_.empty()) config.fail("path", "rankings: nothing to read; set 'path'");
  }

  std::vector<std::string> shards() const override { return expand_globs({path_}); }

  void read(const std::string& shard, const std::function<bool(Document&&)>& sink) const override {
    read_json_lines(
        shard, [&](Json&& line, const std::string& where) { return sink(parse(line, where)); });
  }

 private:
  std::string path_;
};

std::vector<PluginInfo> plugins() {
  return {describe_plugin<Rankings>(
      "rankings", "1.0",
      "prompts with K responses ranked best to worst, JSON Lines (what the rankings stage writes)",
      Schema{param::string("path").required().doc(
          "JSON Lines files (plain or gzip) or a glob of them, one ranked prompt per line")})};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
