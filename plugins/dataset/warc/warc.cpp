// Dataset `warc`: web crawls in WARC files (plain or gzip) read as documents, one shard per file.
#include "warc_document.h"
#include "warc_record.h"

#include <forge/dataset.h>
#include <forge/error.h>
#include <forge/files.h>

#include <algorithm>
#include <string>
#include <vector>

namespace forge {
namespace {

namespace fs = std::filesystem;

// A MIME pattern as content_types takes it: type/subtype, type/* or */*, lowercased.
std::string media_pattern(const Config& config, const std::string& entry) {
  std::string pattern = warc::lowercase(warc::trim(entry));
  const auto slash = pattern.find('/');
  const bool valid = slash != std::string::npos && slash > 0 && slash + 1 < pattern.size() &&
                     pattern.find('/', slash + 1) == std::string::npos &&
                     pattern.find_first_of(" \t;") == std::string::npos &&
                     (pattern.find('*') == std::string::npos || pattern.ends_with("/*"));
  if (!valid) {
    config.fail("content_types", cat("'", entry,
                                     "' is not a MIME type: write type/subtype (text/html), "
                                     "type/* (text/*) or */* for every type"));
  }
  return pattern;
}

class Warc : public Dataset {
 public:
  explicit Warc(const Config& config) : patterns_(config.strings("paths")) {
    if (patterns_.empty()) config.fail("paths", "give at least one WARC file or glob pattern");
    options_.only_ok_status = config.boolean("only_ok_status");
    options_.max_payload_bytes = static_cast<std::size_t>(config.integer("max_payload_bytes"));
    options_.content_types.clear();
    for (const std::string& entry : config.strings("content_types"))
      options_.content_types.push_back(media_pattern(config, entry));
    if (options_.content_types.empty())
      config.fail("content_types", "list at least one MIME type, or '*/*' to keep every type");
    // Globbing now makes a pattern that matches nothing a located error before any work.
    try {
      for (const std::string& pattern : patterns_) {
        std::vector<fs::path> matched = expand_glob(pattern);
        for (const fs::path& file : matched) files_.push_back(file.string());
      }
    } catch (const Error& e) {
      config.fail("paths", e.what());
    }
    std::sort(files_.begin(), files_.end());
    files_.erase(std::unique(files_.begin(), files_.end()), files_.end());
  }

  std::vector<std::string> shards() const override { return files_; }

  void read(const std::string& shard, const std::function<bool(Document&&)>& sink) const override {
    if (!std::binary_search(files_.begin(), files_.end(), shard)) {
      throw Error(cat("warc: no shard named '", shard,
                      "'; shards are the files that 'paths' matched when the recipe loaded"));
    }
    warc::read_warc_file(shard, options_, sink);
  }

 private:
  std::vector<std::string> patterns_;
  std::vector<std::string> files_;
  warc::WarcOptions options_;
};

std::vector<PluginInfo> plugins() {
  Schema schema{
      param::string_list("paths").required().doc(
          "WARC files (.warc, .warc.gz): paths or glob patterns (*, ?, [...], **); one shard each"),
      param::string_list("content_types")
          .fallback(std::vector<std::string>{"text/html", "application/xhtml+xml", "text/plain"})
          .doc("payload MIME types to keep: type/subtype, type/* or */*; others are skipped"),
      param::boolean("only_ok_status")
          .fallback(true)
          .doc("keep only HTTP responses with a 2xx status (redirects and errors are skipped)"),
      param::integer("max_payload_bytes")
          .fallback(std::int64_t{2} << 20)
          .range(1, std::int64_t{1} << 30)
          .doc("longer payloads are cut to this many bytes and marked truncated: true"),
  };
  return {describe_plugin<Warc>(
      "warc", "1.0",
      "WARC web crawls (plain or gzip): HTTP responses, resources and conversions as documents",
      std::move(schema))};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
