// Dataset `text_files`: plain text files read as one document per file or per paragraph.
#include <forge/dataset.h>
#include <forge/error.h>
#include <forge/files.h>
#include <forge/utf8.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace forge {
namespace {

namespace fs = std::filesystem;

bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t\v\f\r") == std::string_view::npos;
}

class TextFiles : public Dataset {
 public:
  explicit TextFiles(const Config& config)
      : patterns_(config.strings("paths")),
        paragraphs_(config.string("mode") == "paragraph"),
        files_per_shard_(static_cast<std::size_t>(config.integer("files_per_shard"))) {
    if (patterns_.empty()) config.fail("paths", "give at least one file or glob pattern");
    // Globbing now makes a pattern that matches nothing a located error before any work.
    try {
      groups();
    } catch (const Error& e) {
      config.fail("paths", e.what());
    }
  }

  std::vector<std::string> shards() const override {
    std::vector<std::string> names;
    for (const auto& [name, files] : groups()) names.push_back(name);
    return names;
  }

  void read(const std::string& shard, const std::function<bool(Document&&)>& sink) const override {
    const auto& all = groups();
    auto group = all.find(shard);
    if (group == all.end()) throw Error(cat("text_files: no shard named '", shard, "'"));
    for (const fs::path& file : group->second) {
      bool more = paragraphs_ ? read_paragraphs(file, sink) : read_whole(file, sink);
      if (!more) return;
    }
  }

 private:
  static bool read_whole(const fs::path& file, const std::function<bool(Document&&)>& sink) {
    Document document;
    document.id = file.string();
    document.text = repair_utf8(read_file(file));
    document.metadata = {{"source", file.string()}};
    return sink(std::move(document));
  }

  static bool read_paragraphs(const fs::path& file, const std::function<bool(Document&&)>& sink) {
    LineReader reader(file);
    std::string line;
    std::string paragraph;
    std::int64_t index = 0;
    auto emit = [&] {
      Document document;
      document.id = cat(file.string(), "#", index);
      document.text = repair_utf8(std::move(paragraph));
      document.metadata = {{"source", file.string()}, {"paragraph", index}};
      paragraph.clear();
      ++index;
      return sink(std::move(document));
    };
    while (reader.next(line)) {
      if (is_blank(line)) {
        if (!paragraph.empty() && !emit()) return false;
        continue;
      }
      if (!paragraph.empty()) paragraph += '\n';
      paragraph += line;
    }
    return paragraph.empty() || emit();
  }

  // Shard name -> files. A shard is named after its first file, plus "+N" when N more files
  // follow it in the same shard. Globbed once, so every task sees the same split.
  const std::map<std::string, std::vector<fs::path>>& groups() const {
    std::lock_guard lock(mutex_);
    if (groups_) return *groups_;
    std::vector<fs::path> files;
    for (const std::string& pattern : patterns_) {
      std::vector<fs::path> matched = expand_glob(pattern);
      files.insert(files.end(), matched.begin(), matched.end());
    }
    std::sort(files.begin(), files.end(),
              [](const fs::path& a, const fs::path& b) { return a.native() < b.native(); });
    files.erase(std::unique(files.begin(), files.end()), files.end());
    std::map<std::string, std::vector<fs::path>> made;
    for (std::size_t start = 0; start < files.size(); start += files_per_shard_) {
      std::size_t end = std::min(files.size(), start + files_per_shard_);
      std::string name = files[start].string();
      if (end - start > 1) name += cat("+", end - start - 1);
      made[name].assign(files.begin() + static_cast<std::ptrdiff_t>(start),
                        files.begin() + static_cast<std::ptrdiff_t>(end));
    }
    groups_ = std::move(made);
    return *groups_;
  }

  std::vector<std::string> patterns_;
  bool paragraphs_;
  std::size_t files_per_shard_;
  mutable std::mutex mutex_;
  mutable std::optional<std::map<std::string, std::vector<fs::path>>> groups_;
};

std::vector<PluginInfo> plugins() {
  Schema schema{
      param::string_list("paths").required().doc(
          "files to read: paths or glob patterns (*, ?, [...], ** for any depth), one or a list"),
      param::string("mode")
          .fallback("file")
          .one_of({"file", "paragraph"})
          .doc("'file': one document per file; 'paragraph': one per blank-line-separated block"),
      param::integer("files_per_shard")
          .fallback(1)
          .at_least(1)
          .doc("files read by one data task; raise it when there are many small files"),
  };
  return {describe_plugin<TextFiles>(
      "text_files", "1.0",
      "Plain text files: one document per file or per blank-line-separated paragraph",
      std::move(schema))};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
