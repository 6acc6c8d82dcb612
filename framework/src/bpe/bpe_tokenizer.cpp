#include "bpe/bpe_tokenizer.h"

#include <forge/error.h>

#include "bpe/bpe_encode.h"
#include "bpe/tiktoken_file.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <mutex>

namespace forge::bpe {
namespace fs = std::filesystem;

BpeTokenizer::BpeTokenizer(std::shared_ptr<const Vocabulary> vocabulary, Pretokenizer pretokenizer,
                           SpecialTokens specials, std::string end_of_text)
    : vocabulary_(std::move(vocabulary)),
      pretokenizer_(std::move(pretokenizer)),
      specials_(std::move(specials)),
      end_of_text_(std::move(end_of_text)) {
  vocab_size_ = vocabulary_->size();
  for (const auto& [name, id] : specials_) {
    if (name.empty()) throw Error("a special token has an empty name; give each one a spelling");
    if (id < 0 || vocabulary_->has(id))
      throw Error(cat("special token '", name, "' has id ", id, ", which is ",
                      id < 0 ? "negative" : "a token of the vocabulary"));
    if (std::count_if(specials_.begin(), specials_.end(),
                      [&](const auto& other) { return other.first == name; }) > 1)
      throw Error(cat("special token '", name, "' is listed twice"));
    vocab_size_ = std::max(vocab_size_, static_cast<std::size_t>(id) + 1);
    if (name == end_of_text_) end_of_text_id_ = id;
  }
  if (end_of_text_id_ < 0)
    throw Error(cat("the end-of-text token '", end_of_text_,
                    "' is not one of the special tokens; add it to special_tokens"));
}

void BpeTokenizer::encode(std::string_view text, std::vector<TokenId>& out) const {
  // Pieces are collected a block at a time so the vector's memory is reused.
  thread_local std::vector<std::string_view> pieces;
  pieces.clear();
  pretokenizer_.split(text, pieces);
  for (std::string_view piece : pieces) encode_piece(*vocabulary_, piece, out);
}

std::string BpeTokenizer::decode(std::span<const TokenId> ids) const {
  std::string out;
  for (TokenId id : ids) {
    if (vocabulary_->has(id)) {
      out += vocabulary_->bytes(id);
      continue;
    }
    auto special = std::find_if(specials_.begin(), specials_.end(),
                                [&](const auto& entry) { return entry.second == id; });
    if (special == specials_.end())
      throw Error(
          cat("id ", id, " is not a token of this tokenizer (vocabulary of ", vocab_size_, ")"));
    out += special->first;
  }
  return out;
}

BpeTokenizer BpeTokenizer::with_specials(const std::vector<std::string>& names) const {
  SpecialTokens specials = specials_;
  TokenId next = static_cast<TokenId>(vocab_size_);
  for (const std::string& name : names) {
    if (std::any_of(specials.begin(), specials.end(),
                    [&](const auto& entry) { return entry.first == name; }))
      continue;
    specials.emplace_back(name, next++);
  }
  return BpeTokenizer(vocabulary_, pretokenizer_, std::move(specials), end_of_text_);
}

BpeTokenizer BpeTokenizer::with_pattern(Pretokenizer pretokenizer) const {
  return BpeTokenizer(vocabulary_, std::move(pretokenizer), specials_, end_of_text_);
}

namespace {

struct Builtin {
  std::string name, file, pattern;
  SpecialTokens specials;
};

const std::vector<Builtin>& builtins() {
  static const std::vector<Builtin> table = {
      {"r50k_base", "r50k_base.tiktoken", "r50k_base", {{"<|endoftext|>", 50256}}},
      {"p50k_base", "p50k_base.tiktoken", "p50k_base", {{"<|endoftext|>", 50256}}},
      {"p50k_edit",
       "p50k_base.tiktoken",
       "p50k_base",
       {{"<|endoftext|>", 50256},
        {"<|fim_prefix|>", 50281},
        {"<|fim_middle|>", 50282},
        {"<|fim_suffix|>", 50283}}},
      {"cl100k_base",
       "cl100k_base.tiktoken",
       "cl100k_base",
       {{"<|endoftext|>", 100257},
        {"<|fim_prefix|>", 100258},
        {"<|fim_middle|>", 100259},
        {"<|fim_suffix|>", 100260},
        {"<|endofprompt|>", 100276}}},
      {"o200k_base",
       "o200k_base.tiktoken",
       "o200k_base",
       {{"<|endoftext|>", 199999}, {"<|endofprompt|>", 200018}}},
  };
  return table;
}

}  // namespace

const std::vector<std::string>& builtin_encodings() {
  static const std::vector<std::string> names = {"r50k_base", "gpt2",        "p50k_base",
                                                 "p50k_edit", "cl100k_base", "o200k_base"};
  return names;
}

fs::path reference_folder() {
  if (const char* refs = std::getenv("FORGE_TOKENIZER_REFS"); refs && *refs) return refs;
  if (const char* cache = std::getenv("FORGE_CACHE"); cache && *cache)
    return fs::path(cache) / "tokenizer-refs";
  fs::path in_tree = fs::path(FORGE_SOURCE_TREE) / ".cache" / "tokenizer-refs";
  if (fs::exists(in_tree)) return in_tree;
  const char* home = std::getenv("HOME");
  return fs::path(home ? home : "/tmp") / ".cache" / "forge" / "tokenizer-refs";
}

BpeTokenizer load_builtin(std::string_view requested) {
  const std::string_view name = requested == "gpt2" ? "r50k_base" : requested;
  auto found = std::find_if(builtins().begin(), builtins().end(),
                            [&](const Builtin& b) { return b.name == name; });
  if (found == builtins().end())
    throw Error(
        cat("unknown encoding '", requested,
            "'; built in: r50k_base (gpt2), p50k_base, p50k_edit, cl100k_base, o200k_base"));
  // Loaded once per process: the vocabularies are large and immutable.
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const Vocabulary>> loaded;
  std::shared_ptr<const Vocabulary> vocabulary;
  {
    std::lock_guard lock(mutex);
    auto& slot = loaded[found->name];
    if (!slot) {
      const fs::path file = reference_folder() / found->file;
      if (!fs::exists(file))
        throw Error(cat("encoding ", found->name, " needs ", file.string(),
                        ", which is missing; run scripts/data/tokenizer-refs.sh to fetch it (or "
                        "point FORGE_TOKENIZER_REFS at a folder holding it)"));
      slot = std::make_shared<const Vocabulary>(read_tiktoken(file));
    }
    vocabulary = slot;
  }
  return BpeTokenizer(vocabulary, Pretokenizer::builtin(found->pattern), found->specials,
                      "<|endoftext|>");
}

}  // namespace forge::bpe
