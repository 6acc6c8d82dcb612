#pragma once

// The mergeable tokens of a byte-level BPE: byte strings indexed by rank, which is also their
// id (as in tiktoken files). Merging adjacent tokens a and b gives the token whose bytes are
// a's then b's, when the vocabulary has it; that pair table is built once, so encoding
// merges by integer lookups instead of hashing byte strings.

#include <forge/export.h>
#include <forge/tokenizer.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace forge::bpe {

class FORGE_API Vocabulary {
 public:
  Vocabulary() = default;
  // tokens[rank] holds that rank's bytes; an empty entry is a gap in the ranks. Every single
  // byte must be a token (byte-level BPE can then encode anything); duplicates are refused.
  explicit Vocabulary(std::vector<std::string> tokens);

  // One past the highest rank.
  std::size_t size() const { return tokens_.size(); }
  std::size_t token_count() const { return count_; }
  std::string_view bytes(TokenId id) const { return tokens_[static_cast<std::size_t>(id)]; }
  bool has(TokenId id) const {
    return id >= 0 && static_cast<std::size_t>(id) < tokens_.size() &&
           !tokens_[static_cast<std::size_t>(id)].empty();
  }
  std::optional<TokenId> find(std::string_view bytes) const;
  TokenId byte_token(unsigned char byte) const { return byte_ids_[byte]; }
  // The token a+b, or -1 when there is none.
  TokenId merged(TokenId a, TokenId b) const;

 private:
  struct Slot {
    std::uint64_t key = 0;  // hash for tokens_, packed pair for pairs_
    TokenId value = -1;
  };
  void index_tokens();
  void index_pairs();

  std::vector<std::string> tokens_;
  std::size_t count_ = 0;
  TokenId byte_ids_[256] = {};
  std::vector<Slot> by_bytes_;  // open addressing on the bytes' hash
  std::vector<Slot> pairs_;     // open addressing on (a << 32 | b)
  std::uint64_t bytes_mask_ = 0, pairs_mask_ = 0;
};

// 64-bit hash of a byte string: word at a time, then mixed (splitmix64's finalizer).
inline std::uint64_t hash_bytes(std::string_view text) {
  auto mix = [](std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  };
  std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ text.size();
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word;
    __builtin_memcpy(&word, text.data() + i, 8);
    h = mix(h ^ word);
  }
  std::uint64_t tail = 0;
  __builtin_memcpy(&tail, text.data() + i, text.size() - i);
  return mix(h ^ tail ^ (std::uint64_t{text.size() - i} << 59));
}

}  // namespace forge::bpe
