#pragma once

#include <forge/export.h>
#include <forge/plugin.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace forge {

using TokenId = std::int32_t;

// What the spelling of a special token means inside text given to encode_with_special(), as in
// tiktoken's encode(): allowed spellings become their special token; any other special
// spelling is an error (`refuse_others`, tiktoken's disallowed_special="all") or plain text.
struct SpecialTextPolicy {
  std::vector<std::string> allowed;
  bool allow_all = false;
  bool refuse_others = true;
};

// Text to token ids and back. Special tokens (e.g. "<|endoftext|>") have ids of their own and
// are never produced from ordinary text: encode() treats their spelling as plain text.
// Implementations are called from several threads at once.
class FORGE_API Tokenizer : public Plugin {
 public:
  static constexpr PluginKind kKind = PluginKind::tokenizer;

  // Ordinary text to ids: the spelling of a special token is plain text here.
  virtual std::vector<TokenId> encode(std::string_view text) const = 0;
  // Text that may spell special tokens, under `policy`; a refused spelling is a forge::Error
  // naming it and its offset.
  std::vector<TokenId> encode_with_special(std::string_view text,
                                           const SpecialTextPolicy& policy) const;
  // Many texts at once on `threads` threads (0: every core); the same ids as one by one.
  std::vector<std::vector<TokenId>> encode_batch(const std::vector<std::string>& texts,
                                                 unsigned threads = 0) const;
  // The bytes the ids stand for; a cut through a multi-byte character leaves partial UTF-8.
  virtual std::string decode(std::span<const TokenId> ids) const = 0;
  // Every id is below this, special tokens included.
  virtual std::size_t vocab_size() const = 0;
  virtual std::vector<std::pair<std::string, TokenId>> special_tokens() const = 0;
  std::optional<TokenId> special_token(std::string_view name) const;
  // The id that ends a document in token shards and stops generation by default.
  virtual TokenId end_of_text() const = 0;

  // A self-contained description that rebuilds this tokenizer: stored in checkpoints and given
  // back to the plugin as its `serialized` parameter, so a checkpoint alone can sample.
  virtual std::string serialize() const = 0;
};

}  // namespace forge
