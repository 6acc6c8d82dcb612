#include "io/token_windows.h"

#include <forge/error.h>

#include <algorithm>
#include <utility>

namespace forge {
namespace {

constexpr std::uint64_t kGolden = 0x9e3779b97f4a7c15ULL;  // 2^64 / golden ratio, as in splitmix64

// splitmix64's finalizer: a bijection on 64-bit values that mixes every input bit into every
// output bit.
std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A uniform value in [0, bound) from stream (seed, index): Lemire's multiply-shift, rejecting
// the few products that would bias it, with each retry taking the stream's next draw.
std::uint64_t uniform_below(std::uint64_t seed, std::uint64_t index, std::uint64_t bound) {
  std::uint64_t draw = 0;
  __uint128_t product = static_cast<__uint128_t>(counter_random(seed, index, draw++)) * bound;
  auto low = static_cast<std::uint64_t>(product);
  if (low < bound) {
    std::uint64_t threshold = (0 - bound) % bound;
    while (low < threshold) {
      product = static_cast<__uint128_t>(counter_random(seed, index, draw++)) * bound;
      low = static_cast<std::uint64_t>(product);
    }
  }
  return static_cast<std::uint64_t>(product >> 64);
}

// The shard holding item `at` of running totals `ends` (ends[0] == 0, ends[k + 1] - ends[k] =
// items of shard k).
std::size_t shard_of(const std::vector<std::uint64_t>& ends, std::uint64_t at) {
  return static_cast<std::size_t>(std::upper_bound(ends.begin(), ends.end(), at) - ends.begin() -
                                  1);
}

}  // namespace

std::uint64_t counter_random(std::uint64_t seed, std::uint64_t index, std::uint64_t draw) {
  std::uint64_t stream = mix64(mix64(seed ^ 0x6a09e667f3bcc909ULL) ^ mix64(index + kGolden));
  return mix64(stream + (draw + 1) * kGolden);
}

TokenWindows::TokenWindows(const std::vector<std::filesystem::path>& shard_files,
                           std::size_t length, Order order, std::uint64_t seed)
    : length_(length), order_(order), seed_(seed) {
  if (shard_files.empty()) {
    throw Error("token windows need at least one shard file, got none; check the data path");
  }
  if (length_ < 2) {
    throw Error(cat("token window length ", length_,
                    " is too short: a window needs at least one input and one target token; "
                    "use context + 1"));
  }
  shards_.reserve(shard_files.size());
  sequential_ends_.push_back(0);
  random_ends_.push_back(0);
  for (const auto& file : shard_files) {
    TokenShard shard(file);
    const TokenShard& first = shards_.empty() ? shard : shards_.front();
    if (shard.vocab_size() != first.vocab_size() || shard.end_of_text() != first.end_of_text()) {
      throw Error(cat("token shards '", first.path().string(), "' (vocabulary ", first.vocab_size(),
                      ", end-of-text ", first.end_of_text(), ") and '", file.string(),
                      "' (vocabulary ", shard.vocab_size(), ", end-of-text ", shard.end_of_text(),
                      ") disagree; every shard of a data set must come from one tokenizer"));
    }
    // Windows never straddle shards, so a shorter shard could never be read.
    if (shard.size() < length_) {
      throw Error(cat("token shard '", file.string(), "' has ", shard.size(),
                      " tokens, fewer than the window length ", length_,
                      "; merge it into a larger shard, remove it, or shorten the context"));
    }
    total_tokens_ += shard.size();
    sequential_ends_.push_back(sequential_ends_.back() + (shard.size() - 1) / (length_ - 1));
    random_ends_.push_back(random_ends_.back() + shard.size() - length_ + 1);
    shards_.push_back(std::move(shard));
  }
  windows_per_epoch_ = sequential_ends_.back();
}

void TokenWindows::next(TokenId* out) {
  window(position_, out);
  ++position_;
}

void TokenWindows::window(std::uint64_t index, TokenId* out) const {
  std::size_t shard = 0;
  std::uint64_t start = 0;
  if (order_ == Order::sequential) {
    std::uint64_t at = index % windows_per_epoch_;
    shard = shard_of(sequential_ends_, at);
    start = (at - sequential_ends_[shard]) * (length_ - 1);
  } else {
    std::uint64_t at = uniform_below(seed_, index, random_ends_.back());
    shard = shard_of(random_ends_, at);
    start = at - random_ends_[shard];
  }
  shards_[shard].read(start, length_, out);
}

}  // namespace forge
