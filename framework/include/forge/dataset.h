#pragma once

#include <forge/document.h>
#include <forge/export.h>
#include <forge/plugin.h>
#include <forge/tokenizer.h>

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

// Training windows of tokens. Window i depends only on the source's seed and i, so a run
// resumes exactly from position().
class FORGE_API TokenSource {
 public:
  virtual ~TokenSource();
  // Fills `length` tokens (the request's length): a model reads length-1 and predicts the next.
  virtual void next(TokenId* out) = 0;
  // Windows read so far: seek(position() + n) skips n windows (another rank's share).
  virtual std::uint64_t position() const = 0;
  virtual void seek(std::uint64_t position) = 0;
  virtual std::uint64_t total_tokens() const = 0;
};

// What a training stage asks of a token dataset.
struct TokenRequest {
  const Tokenizer* tokenizer = nullptr;  // for datasets that tokenize on the fly
  std::size_t length = 0;
  bool random_order = true;  // false: sequential windows, for evaluation
  std::uint64_t seed = 0;
  std::size_t rank = 0, world_size = 1;  // each rank reads its own windows
};

// A source and/or sink of documents, and/or of training tokens. Reading is split into shards: one
// data task per shard, so shard names must be stable and sorted for a rerun to find the same tasks.
class FORGE_API Dataset : public Plugin {
 public:
  static constexpr PluginKind kKind = PluginKind::dataset;

  virtual std::vector<std::string> shards() const;
  // Calls `sink` with each document of `shard` in order; stops early when it returns false.
  virtual void read(const std::string& shard, const std::function<bool(Document&&)>& sink) const;

  virtual bool can_write() const { return false; }
  virtual std::unique_ptr<DocumentWriter> open_writer(const WriteTarget& target) const;

  virtual bool can_provide_tokens() const { return false; }
  virtual std::unique_ptr<TokenSource> open_tokens(const TokenRequest& request) const;
};

}  // namespace forge
