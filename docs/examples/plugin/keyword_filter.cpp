// Filter `keyword`: drops documents that contain any of a list of words, ignoring case.
#include <forge/filter.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace {

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

class KeywordFilter : public forge::Filter {
 public:
  explicit KeywordFilter(const forge::Config& config) {
    for (const std::string& word : config.strings("words")) {
      if (word.empty()) config.fail("words", "an empty word would match every document");
      words_.push_back(lowercase(word));
    }
  }

  forge::Verdict apply(forge::Document& document) const override {
    std::string text = lowercase(document.text);
    for (const std::string& word : words_)
      if (text.find(word) != std::string::npos) return forge::Verdict::drop("keyword");
    return forge::Verdict::keep();
  }

 private:
  std::vector<std::string> words_;
};

std::vector<forge::PluginInfo> plugins() {
  forge::Schema schema{
      forge::param::string_list("words").required().doc(
          "documents containing any of these are dropped"),
  };
  return {forge::describe_plugin<KeywordFilter>(
      "keyword", "1.0", "Drops documents that contain any of the given words", schema)};
}

}  // namespace

FORGE_PLUGIN_LIBRARY(plugins)
