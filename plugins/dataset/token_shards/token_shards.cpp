// Dataset `token_shards`: writes documents as token shards (a train and a val split per task)
// and reads shards back as training windows. Format: docs/token-shards.md.
#include <forge/dataset.h>
#include <forge/error.h>
#include <forge/files.h>
#include <forge/log.h>
#include <forge/node.h>
#include <forge/random.h>

#include "io/token_shard.h"
#include "io/token_windows.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <vector>

namespace forge {
namespace {

namespace fs = std::filesystem;

// The *.bin files directly inside `folder`, sorted.
std::vector<fs::path> shards_in(const fs::path& folder) {
  std::vector<fs::path> files;
  std::error_code error;
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    std::string name = it->path().filename().string();
    if (name.ends_with(".bin") && name[0] != '.' && !it->is_directory()) files.push_back(*it);
  }
  if (error) throw Error(cat("cannot list folder '", folder.string(), "': ", error.message()));
  if (files.empty()) throw Error(cat("folder '", folder.string(), "' holds no .bin shards"));
  std::sort(files.begin(), files.end());
  return files;
}

// One task's shards: documents go to train or val by the hash of their id.
class ShardWriter : public DocumentWriter {
 public:
  ShardWriter(const Tokenizer& tokenizer, const fs::path& folder, const std::string& task,
              double val_fraction)
      : tokenizer_(tokenizer), val_fraction_(val_fraction) {
    auto vocab = tokenizer.vocab_size();
    if (vocab > kMaxTokenShardVocab) {
      throw Error(cat("token_shards: the tokenizer's vocabulary of ", vocab,
                      " ids is larger than token shards hold (", kMaxTokenShardVocab, ")"));
    }
    train_.emplace(shard_path(folder / "train", task), static_cast<std::uint32_t>(vocab),
                   tokenizer.end_of_text());
    if (val_fraction_ > 0) {
      val_.emplace(shard_path(folder / "val", task), static_cast<std::uint32_t>(vocab),
                   tokenizer.end_of_text());
    }
  }

  void write(const Document& document) override {
    std::vector<TokenId> tokens = tokenizer_.encode(document.text);
    bool to_val = val_ && id_fraction(document.id) < val_fraction_;
    try {
      (to_val ? *val_ : *train_).add_document(tokens);
    } catch (const Error& e) {
      throw Error(cat("document '", document.id, "': ", e.what()));
    }
  }

  void commit() override {
    train_->commit();
    if (val_) val_->commit();
  }

 private:
  static fs::path shard_path(const fs::path& folder, const std::string& task) {
    std::error_code error;
    fs::create_directories(folder, error);
    if (error) {
      throw Error(cat("token_shards: cannot create output folder '", folder.string(),
                      "': ", error.message()));
    }
    return folder / (task + ".bin");
  }

  const Tokenizer& tokenizer_;
  double val_fraction_;
  std::optional<TokenShardWriter> train_, val_;
};

class TokenShards : public Dataset {
 public:
  explicit TokenShards(const Config& config)
      : section_(config.node()),
        section_path_(config.path()),
        paths_(config.strings("paths")),
        output_(config.string("path")),
        val_fraction_(config.number("val_fraction")) {
    if (val_fraction_ >= 1) {
      config.fail("val_fraction", "must be below 1, or nothing is left to train on; try 0.01");
    }
    if (config.has("tokenizer")) {
      tokenizer_ = create_plugin<Tokenizer>(config.section("tokenizer"));
    }
  }

  bool can_write() const override { return true; }

  std::unique_ptr<DocumentWriter> open_writer(const WriteTarget& target) const override {
    if (!tokenizer_) {
      fail("tokenizer",
           "writing token shards needs a tokenizer; add one, e.g. tokenizer: {plugin: bytes}");
    }
    fs::path folder = output_.is_absolute() ? output_ : target.run_dir / output_;
    return std::make_unique<ShardWriter>(*tokenizer_, folder, target.task, val_fraction_);
  }

  bool can_provide_tokens() const override { return true; }

  std::unique_ptr<TokenSource> open_tokens(const TokenRequest& request) const override {
    if (request.length < 2) {
      throw Error(cat("token_shards: a window of ", request.length,
                      " tokens is too short; ask for context + 1 tokens"));
    }
    std::vector<fs::path> files = shard_files();
    // Windows never straddle shards: a shard shorter than a window (say a small task's val
    // split) can't be read, so it is left out, with a warning, rather than failing the run.
    std::vector<fs::path> usable;
    std::uint64_t usable_tokens = 0, short_tokens = 0, short_shards = 0;
    for (const fs::path& file : files) {
      TokenShard shard(file);
      if (request.tokenizer) check_tokenizer(shard, *request.tokenizer);
      if (shard.size() > 0 && shard.size() < request.length) {
        short_tokens += shard.size();
        ++short_shards;
        continue;
      }
      usable_tokens += shard.size();
      usable.push_back(file);
    }
    if (usable_tokens == 0) {
      fail("paths", cat("the ", files.size(), " shard(s) hold no window of ", request.length,
                        " tokens (", short_tokens, " tokens in shards shorter than that)",
                        "; tokenize more text into them or shorten the context"));
    }
    if (short_shards > 0) {
      log_warn("token_shards: skipping ", short_shards, " shard(s) shorter than a window of ",
               request.length, " tokens (", short_tokens, " tokens in all)");
    }
    auto order =
        request.random_order ? TokenWindows::Order::random : TokenWindows::Order::sequential;
    return make_token_source(TokenWindows(usable, request.length, order, request.seed),
                             request.rank, request.world_size);
  }

 private:
  [[noreturn]] void fail(std::string_view key, std::string_view message) const {
    Config(section_, section_path_).fail(key, cat("token_shards: ", message));
  }

  // Every folder's *.bin files and every glob's matches, in the order listed, each file once.
  std::vector<fs::path> shard_files() const {
    if (paths_.empty()) fail("paths", "nothing to read; set 'paths' to shard files or folders");
    std::vector<fs::path> files;
    std::set<fs::path> seen;
    for (const std::string& entry : paths_) {
      std::vector<fs::path> found;
      try {
        std::error_code ignored;
        found = fs::is_directory(entry, ignored) ? shards_in(entry) : expand_glob(entry);
      } catch (const Error& e) {
        fail("paths", e.what());
      }
      for (fs::path& file : found)
        if (seen.insert(file).second) files.push_back(std::move(file));
    }
    return files;
  }

  void check_tokenizer(const TokenShard& shard, const Tokenizer& tokenizer) const {
    if (shard.vocab_size() != tokenizer.vocab_size()) {
      fail("paths", cat("shard '", shard.path().string(), "' has a vocabulary of ",
                        shard.vocab_size(), " ids, but the tokenizer has ", tokenizer.vocab_size(),
                        "; tokenize the data with the run's tokenizer"));
    }
    if (shard.end_of_text() != tokenizer.end_of_text()) {
      fail("paths", cat("shard '", shard.path().string(), "' ends documents with id ",
                        shard.end_of_text(), ", but the tokenizer's end-of-text is ",
                        tokenizer.end_of_text(), "; tokenize the data with the run's tokenizer"));
    }
  }

  Node section_;  // a copy, so a late error can still point at the recipe
  std::string section_path_;
  std::vector<std::string> paths_;
  fs::path output_;
  double val_fraction_;
  std::unique_ptr<Tokenizer> tokenizer_;
};

std::vector<PluginInfo> plugins() {
  Schema schema{
      param::string_list("paths")
          .fallback(std::vector<std::string>{})
          .doc("shards to read: files, glob patterns or folders (every *.bin, sorted), in order"),
      param::string("path").fallback("tokens").doc(
          "folder written to (train/ and val/ inside); relative paths are inside the run"),
      param::plugin("tokenizer", PluginKind::tokenizer)
          .doc("the tokenizer documents are written with; required when writing"),
      param::number("val_fraction")
          .fallback(0.0)
          .range(0, 1)
          .doc("share of documents, below 1, written to val/ instead of train/ (by id hash)"),
  };
  return {describe_plugin<TokenShards>(
      "token_shards", "1.0", "Token shards: writes documents as token ids, reads training windows",
      std::move(schema))};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
