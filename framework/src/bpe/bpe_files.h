#pragma once

// BPE tokenizers on disk and in checkpoints. A tokenizer file is a `.tiktoken` (the ranks) with
// a sidecar `<file>.json`: {"pattern": ..., "special_tokens": {name: id}, "end_of_text": ...}.
// serialize() packs the same into one JSON text, ranks included, so that a checkpoint alone
// rebuilds its tokenizer.

#include <forge/export.h>

#include "bpe/bpe_tokenizer.h"

#include <filesystem>
#include <string>

namespace forge::bpe {

// A built-in pattern's name ("cl100k_base") or the regex itself.
FORGE_API Pretokenizer pretokenizer_for(const std::string& pattern);
// The built-in name whose regex `pretokenizer` follows, or its regex.
FORGE_API std::string pattern_spec(const Pretokenizer& pretokenizer);

FORGE_API void save_tokenizer(const std::filesystem::path& tiktoken_file,
                              const BpeTokenizer& tokenizer);
// Without a sidecar, the pattern is `fallback_pattern` and the only special token is
// <|endoftext|> after the highest rank.
FORGE_API BpeTokenizer load_tokenizer(const std::filesystem::path& tiktoken_file,
                                      const std::string& fallback_pattern = "cl100k_base");

FORGE_API std::string serialize_tokenizer(const BpeTokenizer& tokenizer);
FORGE_API BpeTokenizer deserialize_tokenizer(std::string_view text);

}  // namespace forge::bpe
