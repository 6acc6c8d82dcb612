#pragma once

#include <forge/document.h>
#include <forge/export.h>
#include <forge/plugin.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace forge {

// Receives one task's output documents; nothing is visible until commit() succeeds.
class FORGE_API DocumentWriter {
 public:
  virtual ~DocumentWriter();
  virtual void write(const Document& document) = 0;
  // Flushes and publishes the output atomically. A writer destroyed uncommitted leaves nothing.
  virtual void commit() = 0;
};

// Where a writer puts one task's output.
struct WriteTarget {
  std::filesystem::path run_dir;  // relative output paths are resolved against it
  std::string task;               // a stable name for the task, e.g. "00007"
};

// A source and/or sink of documents. Reading is split into shards: one data task per shard,
// so shard names must be stable and sorted for a rerun to find the same tasks.
class FORGE_API Dataset : public Plugin {
 public:
  static constexpr PluginKind kKind = PluginKind::dataset;

  virtual std::vector<std::string> shards() const;
  // Calls `sink` with each document of `shard` in order; stops early when it returns false.
  virtual void read(const std::string& shard, const std::function<bool(Document&&)>& sink) const;

  virtual bool can_write() const { return false; }
  virtual std::unique_ptr<DocumentWriter> open_writer(const WriteTarget& target) const;
};

}  // namespace forge
