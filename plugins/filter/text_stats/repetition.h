#pragma once

// Repetition statistics of Gopher's Table A1 (Rae et al. 2021), as datatrove computes them.
// Lengths are in code points, like Python's len().

#include "text_stats/hashing.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace forge::text {

struct Duplicates {
  std::size_t items = 0;  // items equal to an earlier one
  std::size_t chars = 0;  // their characters
};

// Items that repeat an earlier item, and their characters (datatrove's find_duplicates).
Duplicates find_duplicates(const std::vector<std::string_view>& items, HashCounter& table);

// One document's words, hashed once so that any n-gram's hash and length cost O(1).
class WordSequence {
 public:
  void assign(const std::vector<std::string_view>& words);
  std::size_t size() const { return lengths_.size() - 1; }
  // The hash of words [start, start + n).
  std::uint64_t hash(std::size_t start, std::size_t n) const;
  // The characters of words [start, start + n), separators not counted.
  std::size_t chars(std::size_t start, std::size_t n) const {
    return lengths_[start + n] - lengths_[start];
  }

 private:
  std::vector<std::uint64_t> prefix_;  // polynomial prefix hashes
  std::vector<std::uint64_t> powers_;
  std::vector<std::size_t> lengths_{0};  // prefix sums of word lengths
};

// len(" ".join(g)) * count(g) for the most frequent n-gram g; ties go to the one seen first.
std::size_t top_ngram_chars(const WordSequence& words, std::size_t n, HashCounter& table);

// Characters in n-grams that repeat an earlier n-gram, scanning left to right and jumping past
// each repeat so that overlapping repeats are not counted twice (datatrove's
// find_all_duplicate: the n-gram's words concatenated, without separators).
std::size_t duplicate_ngram_chars(const WordSequence& words, std::size_t n, HashCounter& table);

}  // namespace forge::text
