// Dataset `text`: plain text files tokenized when a training stage opens them, for data small
// enough to keep in memory. Windows follow TokenWindows' rules, as token shards' do.
#include <forge/dataset.h>
#include <forge/error.h>
#include <forge/files.h>

#include "io/token_windows.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace forge {
namespace {

namespace fs = std::filesystem;

bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t\v\f\r") == std::string_view::npos;
}

// Blank-line-separated blocks, lines joined by '\n' without their '\r': text_files' paragraphs.
std::vector<std::string> paragraphs(std::string_view text) {
  std::vector<std::string> out;
  std::string paragraph;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (is_blank(line)) {
      if (!paragraph.empty()) out.push_back(std::move(paragraph));
      paragraph.clear();
      continue;
    }
    if (!paragraph.empty()) paragraph += '\n';
    paragraph += line;
  }
  if (!paragraph.empty()) out.push_back(std::move(paragraph));
  return out;
}

class Text : public Dataset {
 public:
  explicit Text(const Config& config) : paragraphs_(config.string("mode") == "paragraph") {
    std::vector<std::string> patterns = config.strings("paths");
    if (patterns.empty()) config.fail("paths", "give at least one file or glob pattern");
    // Globbing now makes a pattern that matches nothing a located error before any work.
    try {
      for (const std::string& pattern : patterns) {
        std::vector<fs::path> matched = expand_glob(pattern);
        files_.insert(files_.end(), matched.begin(), matched.end());
      }
    } catch (const Error& e) {
      config.fail("paths", e.what());
    }
    std::sort(files_.begin(), files_.end(),
              [](const fs::path& a, const fs::path& b) { return a.native() < b.native(); });
    files_.erase(std::unique(files_.begin(), files_.end()), files_.end());
  }

  bool can_provide_tokens() const override { return true; }

  std::unique_ptr<TokenSource> open_tokens(const TokenRequest& request) const override {
    if (!request.tokenizer) {
      throw Error(
          "dataset 'text' tokenizes on the fly and needs the run's tokenizer, but none was "
          "given; give the stage a tokenizer, or tokenize the text into token_shards first");
    }
    const Tokenizer& tokenizer = *request.tokenizer;
    std::vector<TokenId> tokens;
    for (const fs::path& file : files_) {
      std::string content = read_file(file);
      std::vector<std::string> documents;
      if (paragraphs_) {
        documents = paragraphs(content);
      } else {
        documents.push_back(std::move(content));
      }
      for (const std::string& document : documents) {
        std::vector<TokenId> ids = tokenizer.encode(document);
        tokens.insert(tokens.end(), ids.begin(), ids.end());
        tokens.push_back(tokenizer.end_of_text());
      }
    }
    auto order =
        request.random_order ? TokenWindows::Order::random : TokenWindows::Order::sequential;
    auto vocab = static_cast<std::uint32_t>(tokenizer.vocab_size());
    try {
      return make_token_source(TokenWindows(std::move(tokens), vocab, tokenizer.end_of_text(),
                                            request.length, order, request.seed),
                               request.rank, request.world_size);
    } catch (const Error& e) {
      throw Error(cat("dataset 'text' (", files_.size(), " file(s) from '", files_.front().string(),
                      "'): ", e.what()));
    }
  }

 private:
  std::vector<fs::path> files_;
  bool paragraphs_;
};

std::vector<PluginInfo> plugins() {
  Schema schema{
      param::string_list("paths").required().doc(
          "files to read: paths or glob patterns (*, ?, [...], ** for any depth), one or a list"),
      param::string("mode")
          .fallback("file")
          .one_of({"file", "paragraph"})
          .doc("'file': one document per file; 'paragraph': one per blank-line-separated block"),
  };
  return {describe_plugin<Text>(
      "text", "1.0", "Plain text files tokenized on the fly into training windows (small data)",
      std::move(schema))};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
