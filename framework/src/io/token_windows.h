#pragma once

#include <forge/dataset.h>
#include <forge/export.h>

#include "io/token_shard.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
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

  // Empty shards (0 tokens) hold nothing to read and are skipped; any other shard shorter than
  // a window is an error naming it, and so is a set with no tokens at all.
  TokenWindows(const std::vector<std::filesystem::path>& shard_files, std::size_t length,
               Order order, std::uint64_t seed);
  // One run of tokens held in memory (documents tokenized on the fly), cut by the same rules
  // as a single shard.
  TokenWindows(std::vector<TokenId> tokens, std::uint32_t vocab_size, TokenId end_of_text,
               std::size_t length, Order order, std::uint64_t seed);

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
  std::uint32_t vocab_size() const { return vocab_size_; }
  TokenId end_of_text() const { return end_of_text_; }
  // The shards windows are read from (empty ones left out); none for in-memory tokens.
  const std::vector<TokenShard>& shards() const { return shards_; }

 private:
  void check_length() const;
  // Appends one segment (a shard, or the in-memory tokens) of `size` >= length tokens.
  void add_segment(std::uint64_t size);
  void read(std::size_t segment, std::uint64_t start, TokenId* out) const;

  std::vector<TokenShard> shards_;
  std::vector<TokenId> memory_;  // the one segment of the in-memory form
  std::size_t length_;
  Order order_;
  std::uint64_t seed_;
  std::uint32_t vocab_size_ = 0;
  TokenId end_of_text_ = 0;
  std::uint64_t position_ = 0;
  std::uint64_t total_tokens_ = 0;
  std::uint64_t windows_per_epoch_ = 0;
  // Running totals over segments, with a leading 0: sequential windows, and possible random
  // starts (size - length + 1 per segment).
  std::vector<std::uint64_t> sequential_ends_{0};
  std::vector<std::uint64_t> random_ends_{0};
};

// A TokenSource over `windows` for one data-parallel rank: its i-th window is the stream's
// window i * world_size + rank, and position() counts this rank's windows.
FORGE_API std::unique_ptr<TokenSource> make_token_source(TokenWindows windows, std::size_t rank,
                                                         std::size_t world_size);

// A counter-based generator: the `draw`-th 64-bit value of stream (seed, index). Stateless, so
// nothing needs saving to reproduce a stream.
FORGE_API std::uint64_t counter_random(std::uint64_t seed, std::uint64_t index, std::uint64_t draw);

}  // namespace forge
