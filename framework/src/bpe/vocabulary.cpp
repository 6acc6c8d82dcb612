#include "bpe/vocabulary.h"

#include <forge/error.h>

#include <bit>

namespace forge::bpe {
namespace {

std::uint64_t pair_key(TokenId a, TokenId b) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(a)) << 32) |
         static_cast<std::uint32_t>(b);
}

std::uint64_t mix_pair(std::uint64_t key) {
  key *= 0x9e3779b97f4a7c15ULL;
  return key ^ (key >> 29);
}

// A power of two with room for `entries` at most half full.
std::size_t table_size(std::size_t entries) {
  return std::bit_ceil(std::max<std::size_t>(16, 2 * entries));
}

}  // namespace

Vocabulary::Vocabulary(std::vector<std::string> tokens) : tokens_(std::move(tokens)) {
  index_tokens();
  for (int byte = 0; byte < 256; ++byte) {
    const char c = static_cast<char>(byte);
    auto id = find(std::string_view(&c, 1));
    if (!id)
      throw Error(cat("the vocabulary has no token for byte ", byte,
                      "; a byte-level BPE needs all 256 single bytes"));
    byte_ids_[byte] = *id;
  }
  index_pairs();
}

void Vocabulary::index_tokens() {
  by_bytes_.assign(table_size(tokens_.size()), Slot{});
  bytes_mask_ = by_bytes_.size() - 1;
  for (std::size_t rank = 0; rank < tokens_.size(); ++rank) {
    const std::string& token = tokens_[rank];
    if (token.empty()) continue;
    const std::uint64_t hash = hash_bytes(token);
    for (std::uint64_t i = hash & bytes_mask_;; i = (i + 1) & bytes_mask_) {
      Slot& slot = by_bytes_[i];
      if (slot.value < 0) {
        slot = {hash, static_cast<TokenId>(rank)};
        break;
      }
      if (slot.key == hash && tokens_[static_cast<std::size_t>(slot.value)] == token)
        throw Error(
            cat("the vocabulary lists the same bytes twice, at ranks ", slot.value, " and ", rank));
    }
    ++count_;
  }
}

void Vocabulary::index_pairs() {
  // Every way to cut a token into two tokens is a merge that makes it.
  std::vector<std::pair<std::uint64_t, TokenId>> pairs;
  for (std::size_t rank = 0; rank < tokens_.size(); ++rank) {
    std::string_view token = tokens_[rank];
    for (std::size_t cut = 1; cut < token.size(); ++cut) {
      auto left = find(token.substr(0, cut));
      if (!left) continue;
      auto right = find(token.substr(cut));
      if (right) pairs.emplace_back(pair_key(*left, *right), static_cast<TokenId>(rank));
    }
  }
  pairs_.assign(table_size(pairs.size()), Slot{});
  pairs_mask_ = pairs_.size() - 1;
  for (const auto& [key, rank] : pairs) {
    for (std::uint64_t i = mix_pair(key) & pairs_mask_;; i = (i + 1) & pairs_mask_) {
      if (pairs_[i].value < 0) {
        pairs_[i] = {key, rank};
        break;
      }
    }
  }
}

std::optional<TokenId> Vocabulary::find(std::string_view bytes) const {
  if (bytes.empty() || by_bytes_.empty()) return std::nullopt;
  const std::uint64_t hash = hash_bytes(bytes);
  for (std::uint64_t i = hash & bytes_mask_;; i = (i + 1) & bytes_mask_) {
    const Slot& slot = by_bytes_[i];
    if (slot.value < 0) return std::nullopt;
    if (slot.key == hash && tokens_[static_cast<std::size_t>(slot.value)] == bytes)
      return slot.value;
  }
}

TokenId Vocabulary::merged(TokenId a, TokenId b) const {
  const std::uint64_t key = pair_key(a, b);
  for (std::uint64_t i = mix_pair(key) & pairs_mask_;; i = (i + 1) & pairs_mask_) {
    const Slot& slot = pairs_[i];
    if (slot.value < 0) return -1;
    if (slot.key == key) return slot.value;
  }
}

}  // namespace forge::bpe
