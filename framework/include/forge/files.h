#pragma once

#include <forge/export.h>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace forge {

// Files matching a glob pattern, sorted. Supports *, ?, [...] within a path component and **
// for any number of directories. A pattern without wildcards names one file, which must exist.
// Throws forge::Error when nothing matches, naming the pattern.
FORGE_API std::vector<std::filesystem::path> expand_glob(const std::string& pattern);
// Every file the patterns match, as sorted, distinct paths: a dataset's shard names.
FORGE_API std::vector<std::string> expand_globs(const std::vector<std::string>& patterns);

// Reads a whole file, decompressing gzip data (recognised by content). Throws forge::Error
// naming the file.
FORGE_API std::string read_file(const std::filesystem::path& file);

// Reads lines from a plain or gzip file (chosen by content, not by name), without the '\n'.
class FORGE_API LineReader {
 public:
  explicit LineReader(const std::filesystem::path& file);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;
  bool next(std::string& line);
  std::size_t line_number() const { return line_number_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::size_t line_number_ = 0;
};

// Calls `sink` with each non-blank line of a JSON Lines file (plain or gzip) as a JSON object,
// and "FILE:LINE" for messages; stops early when it returns false. Throws forge::Error naming
// the line for invalid JSON or a value that is not an object.
FORGE_API void read_json_lines(
    const std::filesystem::path& file,
    const std::function<bool(nlohmann::json&& object, const std::string& where)>& sink);

// Writes a file, optionally gzip-compressed, under a temporary name; commit() flushes, syncs
// and renames it into place, so readers never see a partial file. One writer per file at a
// time: a new writer removes temporaries that an interrupted one left.
class FORGE_API AtomicFileWriter {
 public:
  AtomicFileWriter(std::filesystem::path file, bool gzip);
  ~AtomicFileWriter();  // removes the temporary file unless committed
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;
  void write(std::string_view bytes);
  void commit();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Writes `content` to `file` atomically (temporary name, flush, rename).
FORGE_API void write_file_atomic(const std::filesystem::path& file, std::string_view content);

}  // namespace forge
