#pragma once

#include <forge/export.h>

#include "io/token_shard.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <vector>

namespace forge {

// Windows of `length` tokens drawn from a set of token shards: a model reads the first
// length-1 tokens as inputs and the last length-1 as next-token targets. Window i depends only
// on (seed, i), so a run resumes exactly from its position counter, and data-parallel ranks can
// split one stream by index. No window ever straddles two shards.
class FORGE_API TokenWindows {
 public:
  // random: every possible window of every shard is equally likely (a shard is chosen in
  // proportion to its number of windows, then a uniform start within it).
  // sequential: walks the shards in the order given with stride length-1, so consecutive
  // windows overlap by one token, and wraps around after the last one; the seed is unused.
  enum class Order { random, sequential };

  TokenWindows(const std::vector<std::filesystem::path>& shard_files, std::size_t length,
               Order order, std::uint64_t seed);

  // Fills `out` with `length` tokens of the window at position(), then advances the position.
  void next(TokenId* out);
  // Fills `out` with window `index` without moving the position; safe from several threads.
  void window(std::uint64_t index, TokenId* out) const;

  std::uint64_t position() const { return position_; }
  void seek(std::uint64_t position) { position_ = position; }

  std::uint64_t total_tokens() const { return total_tokens_; }
  // Sum over shards of floor((size - 1) / (length - 1)): the windows of one sequential pass,
  // so the windows of one epoch in either order see about every token once as a target.
  std::uint64_t windows_per_epoch() const { return windows_per_epoch_; }

  std::size_t length() const { return length_; }
  Order order() const { return order_; }
  std::uint32_t vocab_size() const { return shards_.front().vocab_size(); }
  TokenId end_of_text() const { return shards_.front().end_of_text(); }
  const std::vector<TokenShard>& shards() const { return shards_; }

 private:
  std::vector<TokenShard> shards_;
  std::size_t length_;
  Order order_;
  std::uint64_t seed_;
  std::uint64_t position_ = 0;
  std::uint64_t total_tokens_ = 0;
  std::uint64_t windows_per_epoch_ = 0;
  // Running totals over shards, with a leading 0: sequential windows, and possible random
  // starts (size - length + 1 per shard).
  std::vector<std::uint64_t> sequential_ends_;
  std::vector<std::uint64_t> random_ends_;
};

// A counter-based generator: the `draw`-th 64-bit value of stream (seed, index). Stateless, so
// nothing needs saving to reproduce a stream.
FORGE_API std::uint64_t counter_random(std::uint64_t seed, std::uint64_t index, std::uint64_t draw);

}  // namespace forge
