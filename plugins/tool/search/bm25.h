#pragma once

// A BM25 index over passages: documents split at paragraph breaks into passages of at most a
// given number of words, scored with Okapi BM25. Ties rank by passage order: results are
// deterministic.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace forge::search {

struct Passage {
  std::string document;  // the document's id
  std::string url;       // may be empty
  std::string text;
};

struct Hit {
  std::size_t passage;
  double score;
};

// Lowercased words: runs of ASCII letters and digits, and of non-ASCII bytes.
std::vector<std::string> words_of(std::string_view text);

// `text` cut into passages: whole paragraphs (split at blank lines) joined while they fit in
// `max_words`; a longer paragraph is cut every `max_words` words.
std::vector<std::string> split_passages(std::string_view text, std::size_t max_words);

class Bm25Index {
 public:
  Bm25Index(double k1, double b) : k1_(k1), b_(b) {}
  void add(Passage passage);
  // The best `k` passages with a positive score, best first.
  std::vector<Hit> query(std::string_view text, std::size_t k) const;
  const Passage& passage(std::size_t i) const { return passages_[i]; }
  std::size_t size() const { return passages_.size(); }

 private:
  double k1_, b_;
  std::vector<Passage> passages_;
  std::vector<std::uint32_t> lengths_;
  std::uint64_t total_length_ = 0;
  std::unordered_map<std::string, std::vector<std::pair<std::uint32_t, std::uint32_t>>> postings_;
};

}  // namespace forge::search
