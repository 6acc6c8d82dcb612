#pragma once

#include <forge/document.h>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace forge::warc {

// What becomes a document: the recipe's parameters.
struct WarcOptions {
  std::vector<std::string> content_types = {"text/html", "application/xhtml+xml", "text/plain"};
  bool only_ok_status = true;
  std::size_t max_payload_bytes = std::size_t{2} << 20;
};

// What reading one file found.
struct WarcFileStats {
  std::size_t records = 0;  // sound records of every type
  std::size_t documents = 0;
  std::size_t skipped = 0;  // damaged records skipped (each with a warning)
  std::map<std::string, std::size_t> by_type;
};

// Whether a MIME essence matches one of `patterns` (type/subtype, type/* or */*).
bool content_type_wanted(const std::vector<std::string>& patterns, const std::string& essence);

// Calls `sink` with a document for each response (HTTP, 2xx), resource and conversion record of
// `file` whose payload has a wanted type: {id: WARC-Record-ID, url: WARC-Target-URI, text: the
// payload in UTF-8, metadata}. Returns false when the sink asked to stop.
bool read_warc_file(const std::filesystem::path& file, const WarcOptions& options,
                    const std::function<bool(Document&&)>& sink, WarcFileStats* stats = nullptr);

}  // namespace forge::warc
