// Tool `search`: BM25 over a local corpus of JSON Lines documents (the data stage's output,
// plain or gzip), split into passages and indexed when the plugin is made.
#include <forge/files.h>
#include <forge/log.h>
#include <forge/tool.h>

#include "bm25.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <sstream>

namespace forge {
namespace {

std::string json_text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number()) return value.dump();
  return {};
}

class SearchTool : public Tool {
 public:
  explicit SearchTool(const Config& config)
      : index_(config.number("k1"), config.number("b")),
        k_(static_cast<std::size_t>(config.integer("k"))) {
    const auto start = std::chrono::steady_clock::now();
    const auto max_words = static_cast<std::size_t>(config.integer("passage_words"));
    std::size_t documents = 0, files = 0;
    for (const std::string& pattern : config.strings("paths")) {
      std::vector<std::filesystem::path> matched;
      try {
        matched = expand_glob(pattern);
      } catch (const Error& e) {
        config.fail("paths", e.what());
      }
      for (const auto& file : matched) {
        ++files;
        LineReader reader(file);
        for (std::string line; reader.next(line);) {
          if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
          const std::string where = cat(file.string(), ":", reader.line_number());
          nlohmann::json document = nlohmann::json::parse(line, nullptr, false);
          if (document.is_discarded() || !document.is_object())
            throw Error(where +
                        ": not a JSON object; the search tool reads JSON Lines with a "
                        "'text' field, as the data stage writes them");
          auto text = document.find("text");
          if (text == document.end() || !text->is_string())
            throw Error(where + ": the document has no string 'text' field");
          std::string id = document.contains("id") ? json_text(document["id"]) : "";
          if (id.empty()) id = where;
          std::string url = document.contains("url") ? json_text(document["url"]) : "";
          for (std::string& passage : search::split_passages(text->get<std::string>(), max_words))
            index_.add({id, url, std::move(passage)});
          ++documents;
        }
      }
    }
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    log_info("tool search: indexed ", index_.size(), " passages of ", documents, " documents from ",
             files, " files in ", took.count(), " s");
  }

  ToolResult run(const std::string& query, const ToolLimits& limits) const override {
    if (search::words_of(query).empty())
      return ToolResult::error("error: the query has no words; write what to search for");
    std::vector<search::Hit> hits = index_.query(query, k_);
    if (hits.empty()) return ToolResult::ok("no passage matches the query");
    std::ostringstream out;
    for (std::size_t i = 0; i < hits.size(); ++i) {
      const search::Passage& passage = index_.passage(hits[i].passage);
      if (i) out << "\n\n";
      out << "[" << i + 1 << "] " << passage.document;
      if (!passage.url.empty()) out << " (" << passage.url << ")";
      out << "\n" << passage.text;
    }
    return ToolResult::ok(truncate_output(out.str(), limits.output_chars));
  }

 private:
  search::Bm25Index index_;
  std::size_t k_;
};

std::vector<PluginInfo> plugins() {
  Schema schema{
      param::string_list("paths").required().doc(
          "JSON Lines files (plain or .gz) or globs, each document with a 'text' field"),
      param::integer("passage_words")
          .fallback(120)
          .range(10, 100000)
          .doc("most words in a passage; paragraphs are joined up to it, longer ones cut"),
      param::integer("k").fallback(3).range(1, 100).doc("passages returned per query"),
      param::number("k1").fallback(1.2).range(0, 10).doc("BM25 term-frequency saturation"),
      param::number("b").fallback(0.75).range(0, 1).doc("BM25 length normalisation")};
  return {describe_plugin<SearchTool>(
      "search", "1.0", "BM25 search over local JSON Lines documents; returns the best passages",
      schema)};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
