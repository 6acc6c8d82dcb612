#pragma once

// A byte-level BPE tokenizer: a pre-tokenizer splits text into pieces, each piece is merged
// into tokens of a Vocabulary, and special tokens have ids of their own.

#include <forge/export.h>
#include <forge/tokenizer.h>

#include "bpe/pretokenizer.h"
#include "bpe/vocabulary.h"

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace forge::bpe {

using SpecialTokens = std::vector<std::pair<std::string, TokenId>>;

class FORGE_API BpeTokenizer {
 public:
  // Special ids must not be ranks of the vocabulary; the end-of-text token must be one of them.
  BpeTokenizer(std::shared_ptr<const Vocabulary> vocabulary, Pretokenizer pretokenizer,
               SpecialTokens specials, std::string end_of_text);

  void encode(std::string_view text, std::vector<TokenId>& out) const;
  std::string decode(std::span<const TokenId> ids) const;
  // One past the highest id, special tokens included.
  std::size_t vocab_size() const { return vocab_size_; }
  const SpecialTokens& special_tokens() const { return specials_; }
  TokenId end_of_text() const { return end_of_text_id_; }
  const std::string& end_of_text_name() const { return end_of_text_; }
  const Vocabulary& vocabulary() const { return *vocabulary_; }
  const Pretokenizer& pretokenizer() const { return pretokenizer_; }

  // A copy with `names` added as special tokens after the highest id (names it has already
  // are kept as they are).
  BpeTokenizer with_specials(const std::vector<std::string>& names) const;
  // A copy that splits text with `pretokenizer` instead.
  BpeTokenizer with_pattern(Pretokenizer pretokenizer) const;

 private:
  std::shared_ptr<const Vocabulary> vocabulary_;
  Pretokenizer pretokenizer_;
  SpecialTokens specials_;
  std::string end_of_text_;
  TokenId end_of_text_id_ = -1;
  std::size_t vocab_size_ = 0;
};

// OpenAI's encodings by name: r50k_base ("gpt2"), p50k_base, p50k_edit, cl100k_base, o200k_base.
// The ranks come from `NAME.tiktoken` in the reference folder (scripts/data/tokenizer-refs.sh
// fetches it); pattern and special tokens are tiktoken's.
FORGE_API const std::vector<std::string>& builtin_encodings();
FORGE_API BpeTokenizer load_builtin(std::string_view name);
// Where load_builtin looks: FORGE_TOKENIZER_REFS, else FORGE_CACHE/tokenizer-refs, else the
// source tree's .cache/tokenizer-refs, else ~/.cache/forge/tokenizer-refs.
FORGE_API std::filesystem::path reference_folder();

}  // namespace forge::bpe
