// Filter `language`: identifies each document's language with CLD2 (Google's Compact Language
// Detector 2), records it in the metadata, and keeps the languages asked for.
#include "detect.h"

#include <forge/error.h>
#include <forge/filter.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace forge {
namespace {

class LanguageFilter : public Filter {
 public:
  explicit LanguageFilter(const Config& config)
      : languages_(config.strings("languages")),
        min_score_(config.number("min_score")),
        plain_text_(config.boolean("plain_text")) {
    for (std::string& code : languages_) {
      if (code.empty()) config.fail("languages", "holds an empty code; remove it");
      for (char& c : code) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
    }
  }

  Verdict apply(Document& document) const override {
    language::Detection found = language::detect(document.text, plain_text_);
    document.metadata["language"] = found.code;
    document.metadata["language_score"] = found.score;
    if (!wanted(found.code)) return Verdict::drop("language");
    if (found.score < min_score_) return Verdict::drop("low_language_score");
    return Verdict::keep();
  }

 private:
  // "zh" keeps zh and zh-Hant; "zh-hant" keeps zh-Hant only. No languages: all of them.
  bool wanted(std::string_view code) const {
    if (languages_.empty()) return code != "un";
    std::string lower(code);
    for (char& c : lower) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
    return std::any_of(languages_.begin(), languages_.end(), [&](const std::string& want) {
      return want == lower || want == language::base_code(lower);
    });
  }

  std::vector<std::string> languages_;
  double min_score_;
  bool plain_text_;
};

std::vector<PluginInfo> plugins() {
  Schema schema{
      param::string_list("languages")
          .fallback(std::vector<std::string>{"en"})
          .doc("ISO 639-1 codes to keep (zh also keeps zh-Hant); others drop as language; [] "
               "keeps every identified language"),
      param::number("min_score")
          .fallback(0.65)
          .range(0, 1)
          .doc("drop (low_language_score) when the kept language holds a smaller share of "
               "the text's letters (metadata language_score)"),
      param::boolean("plain_text")
          .fallback(true)
          .doc("false: the text is HTML; CLD2 skips tags and expands entities"),
  };
  return {describe_plugin<LanguageFilter>(
      "language", "1.0", "Identifies the language with CLD2 and keeps the languages asked for",
      std::move(schema))};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
