#include "io/token_windows.h"

#include <forge/error.h>

#include <algorithm>
#include <utility>

namespace forge {
namespace {

constexpr std::uint64_t kGolden = 0x9e3779b97f4a7c15ULL;  // 2^64 / golden ratio, as in splitmix64

// splitmix64's finalizer: a bijection on 64-bit values that mixes every input bit into every
// output bit.
std::uint64_t finalize64(std::uint64_t z) {
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
  std::uint64_t stream =
      finalize64(finalize64(seed ^ 0x6a09e667f3bcc909ULL) ^ finalize64(index + kGolden));
  return finalize64(stream + (draw + 1) * kGolden);
}

TokenWindows::TokenWindows(const std::vector<std::filesystem::path>& shard_files,
                           std::size_t length, Order order, std::uint64_t seed)
    : length_(length), order_(order), seed_(seed) {
  if (shard_files.empty()) {
    throw Error("token windows need at least one shard file, got none; check the data path");
  }
  check_length();
  shards_.reserve(shard_files.size());
  std::filesystem::path first_file;
  for (const auto& file : shard_files) {
    TokenShard shard(file);
    if (first_file.empty()) {
      first_file = file;
      vocab_size_ = shard.vocab_size();
      end_of_text_ = shard.end_of_text();
    }
    if (shard.vocab_size() != vocab_size_ || shard.end_of_text() != end_of_text_) {
      throw Error(cat("token shards '", first_file.string(), "' (vocabulary ", vocab_size_,
                      ", end-of-text ", end_of_text_, ") and '", file.string(), "' (vocabulary ",
                      shard.vocab_size(), ", end-of-text ", shard.end_of_text(),
                      ") disagree; every shard of a data set must come from one tokenizer"));
    }
    // A task whose documents all went elsewhere (e.g. to the other split) writes an empty shard.
    if (shard.size() == 0) continue;
    // Windows never straddle shards, so a shorter shard could never be read.
    if (shard.size() < length_) {
      throw Error(cat("token shard '", file.string(), "' has ", shard.size(),
                      " tokens, fewer than the window length ", length_,
                      "; merge it into a larger shard, remove it, or shorten the context"));
    }
    add_segment(shard.size());
    shards_.push_back(std::move(shard));
  }
  if (shards_.empty()) {
    throw Error(cat("token shards hold no tokens: all ", shard_files.size(),
                    " are empty (the first is '", first_file.string(),
                    "'); tokenize some documents into them, or check the data path"));
  }
}

TokenWindows::TokenWindows(std::vector<TokenId> tokens, std::uint32_t vocab_size,
                           TokenId end_of_text, std::size_t length, Order order, std::uint64_t seed)
    : memory_(std::move(tokens)),
      length_(length),
      order_(order),
      seed_(seed),
      vocab_size_(vocab_size),
      end_of_text_(end_of_text) {
  check_length();
  if (memory_.size() < length_) {
    throw Error(cat("the data holds ", memory_.size(), " tokens, fewer than the window length ",
                    length_, "; add text or shorten the context"));
  }
  add_segment(memory_.size());
}

void TokenWindows::check_length() const {
  if (length_ < 2) {
    throw Error(cat("token window length ", length_,
                    " is too short: a window needs at least one input and one target token; "
                    "use context + 1"));
  }
}

void TokenWindows::add_segment(std::uint64_t size) {
  total_tokens_ += size;
  sequential_ends_.push_back(sequential_ends_.back() + (size - 1) / (length_ - 1));
  random_ends_.push_back(random_ends_.back() + size - length_ + 1);
  windows_per_epoch_ = sequential_ends_.back();
}

void TokenWindows::read(std::size_t segment, std::uint64_t start, TokenId* out) const {
  if (shards_.empty()) {
    std::copy_n(memory_.begin() + static_cast<std::ptrdiff_t>(start), length_, out);
  } else {
    shards_[segment].read(start, length_, out);
  }
}

void TokenWindows::next(TokenId* out) {
  window(position_, out);
  ++position_;
}

void TokenWindows::window(std::uint64_t index, TokenId* out) const {
  std::size_t segment = 0;
  std::uint64_t start = 0;
  if (order_ == Order::sequential) {
    std::uint64_t at = index % windows_per_epoch_;
    segment = shard_of(sequential_ends_, at);
    start = (at - sequential_ends_[segment]) * (length_ - 1);
  } else {
    std::uint64_t at = uniform_below(seed_, index, random_ends_.back());
    segment = shard_of(random_ends_, at);
    start = at - random_ends_[segment];
  }
  read(segment, start, out);
}

namespace {

// One rank's share of a window stream; its own counter keeps position() and seek() exact.
class RankWindows : public TokenSource {
 public:
  RankWindows(TokenWindows windows, std::size_t rank, std::size_t world_size)
      : windows_(std::move(windows)), rank_(rank), world_size_(world_size) {}

  void next(TokenId* out) override {
    windows_.window(position_ * world_size_ + rank_, out);
    ++position_;
  }
  std::uint64_t position() const override { return position_; }
  void seek(std::uint64_t position) override { position_ = position; }
  std::uint64_t total_tokens() const override { return windows_.total_tokens(); }

 private:
  TokenWindows windows_;
  std::uint64_t rank_, world_size_;
  std::uint64_t position_ = 0;
};

}  // namespace

std::unique_ptr<TokenSource> make_token_source(TokenWindows windows, std::size_t rank,
                                               std::size_t world_size) {
  if (world_size == 0 || rank >= world_size) {
    throw Error(cat("data-parallel rank ", rank, " is not below the world size ", world_size,
                    "; fix the launcher's settings"));
  }
  return std::make_unique<RankWindows>(std::move(windows), rank, world_size);
}

}  // namespace forge
