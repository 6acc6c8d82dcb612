#pragma once

// MinHash signatures of word n-gram sets and their banded matching: documents whose sets
// overlap (Jaccard similarity s) share at least one of b bands of r hashes with probability
// 1 - (1 - s^r)^b, which is 0.92 at s = 0.8 and 0.05 at s = 0.5 for b = 14, r = 8.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace forge::dedup {

struct MinHashSettings {
  std::size_t bands = 14, rows = 8, ngram = 5;
  std::uint64_t seed = 1;
  // Documents in one bucket also need this share of equal hashes (an estimate of their
  // similarity) to count as duplicates; 0 merges on any shared band.
  double min_similarity = 0.7;
  std::size_t hashes() const { return bands * rows; }
};

// Computes signatures: bands * rows 32-bit minimums over the word n-grams of normalized text,
// one universal hash a x + b mod (2^61 - 1) per position, drawn from the seed.
class MinHasher {
 public:
  explicit MinHasher(const MinHashSettings& settings);
  void signature(std::string_view normalized, std::uint32_t* out) const;

 private:
  MinHashSettings settings_;
  std::vector<std::uint64_t> a_, b_;
};

// Which documents to drop: every document in a cluster of duplicates but the first (the
// lowest index). Clusters join documents through shared bands (union-find).
std::vector<bool> minhash_duplicates(std::span<const std::uint32_t> signatures, std::size_t count,
                                     const MinHashSettings& settings, unsigned threads);

}  // namespace forge::dedup
