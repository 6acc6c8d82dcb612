#include "bpe/trainer.h"

#include <forge/error.h>

#include <algorithm>
#include <queue>
#include <unordered_map>
#include <unordered_set>

namespace forge::bpe {
namespace {

using Pair = std::uint64_t;  // left id << 32 | right id

Pair pair_of(std::uint32_t left, std::uint32_t right) {
  return (static_cast<Pair>(left) << 32) | right;
}

// A distinct piece as a sequence of token ids, and how often it occurs.
struct Word {
  std::vector<std::uint32_t> ids;
  std::int64_t count;
  std::uint32_t seen = 0;  // the last merge that visited it (each merge visits a word once)
};

struct HeapEntry {
  std::int64_t count;
  Pair pair;
  // The top is the highest count, then the lowest pair.
  bool operator<(const HeapEntry& other) const {
    return count != other.count ? count < other.count : pair > other.pair;
  }
};

class Merger {
 public:
  explicit Merger(const PieceCounts& counts) {
    words_.reserve(counts.counts().size());
    // Sorted pieces give the same word order, and so the same work, from one run to the next.
    std::vector<const std::pair<const std::string, std::uint64_t>*> entries;
    for (const auto& entry : counts.counts()) entries.push_back(&entry);
    std::sort(entries.begin(), entries.end(),
              [](const auto* a, const auto* b) { return a->first < b->first; });
    for (const auto* entry : entries) {
      if (entry->first.size() < 2) continue;  // a single byte never merges
      Word word{{}, static_cast<std::int64_t>(entry->second)};
      for (unsigned char c : entry->first) word.ids.push_back(c);
      words_.push_back(std::move(word));
    }
    for (std::uint32_t w = 0; w < words_.size(); ++w) {
      const auto& ids = words_[w].ids;
      for (std::size_t i = 0; i + 1 < ids.size(); ++i) {
        const Pair p = pair_of(ids[i], ids[i + 1]);
        pair_counts_[p] += words_[w].count;
        auto& where = pair_words_[p];
        if (where.empty() || where.back() != w) where.push_back(w);
      }
    }
    // A pair seen once never merges: it stays out of the heap, which keeps the heap small.
    std::vector<HeapEntry> frequent;
    for (const auto& [pair, count] : pair_counts_)
      if (count >= 2) frequent.push_back({count, pair});
    heap_ = std::priority_queue<HeapEntry>(std::less<HeapEntry>(), std::move(frequent));
  }

  // The next pair to merge, or false when no pair occurs at least twice.
  bool best(Pair& pair) {
    while (!heap_.empty()) {
      const HeapEntry top = heap_.top();
      heap_.pop();
      auto found = pair_counts_.find(top.pair);
      const std::int64_t now = found == pair_counts_.end() ? 0 : found->second;
      if (now == top.count) {
        if (now < 2) return false;
        pair = top.pair;
        return true;
      }
      // A count that fell since the entry was pushed goes back in; one that rose has a newer
      // entry already.
      if (now < top.count && now >= 2) heap_.push({now, top.pair});
    }
    return false;
  }

  // Replaces every occurrence of `pair` by token `made`, updating the pair counts.
  void merge(Pair pair, std::uint32_t made, std::uint32_t stamp) {
    const auto left = static_cast<std::uint32_t>(pair >> 32);
    const auto right = static_cast<std::uint32_t>(pair & 0xffffffffu);
    std::vector<std::uint32_t> words = std::move(pair_words_[pair]);
    pair_words_.erase(pair);
    std::vector<std::uint32_t> merged;
    for (std::uint32_t w : words) {
      Word& word = words_[w];
      if (word.seen == stamp) continue;
      word.seen = stamp;
      auto& ids = word.ids;
      merged.clear();
      bool changed = false;
      for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i + 1 < ids.size() && ids[i] == left && ids[i + 1] == right) {
          merged.push_back(made);
          ++i;
          changed = true;
        } else {
          merged.push_back(ids[i]);
        }
      }
      if (!changed) continue;  // a stale listing: the word no longer holds the pair
      for (std::size_t i = 0; i + 1 < ids.size(); ++i)
        adjust(pair_of(ids[i], ids[i + 1]), -word.count);
      for (std::size_t i = 0; i + 1 < merged.size(); ++i) {
        const Pair p = pair_of(merged[i], merged[i + 1]);
        adjust(p, word.count);
        if (merged[i] == made || merged[i + 1] == made) {
          auto& where = pair_words_[p];
          if (where.empty() || where.back() != w) where.push_back(w);
        }
      }
      ids.swap(merged);
    }
    // Each changed pair once: counts that rose get a fresh heap entry, dead pairs go.
    std::sort(touched_.begin(), touched_.end());
    touched_.erase(std::unique(touched_.begin(), touched_.end()), touched_.end());
    for (Pair p : touched_) {
      auto found = pair_counts_.find(p);
      if (found == pair_counts_.end()) continue;
      if (found->second <= 0) {
        pair_counts_.erase(found);
      } else if (found->second >= 2 && raised_.count(p)) {
        heap_.push({found->second, p});
      }
    }
    touched_.clear();
    raised_.clear();
  }

 private:
  void adjust(Pair p, std::int64_t delta) {
    std::int64_t& count = pair_counts_[p];
    count += delta;
    touched_.push_back(p);
    if (delta > 0) raised_.insert(p);
  }

  std::vector<Word> words_;
  std::unordered_map<Pair, std::int64_t> pair_counts_;
  std::unordered_map<Pair, std::vector<std::uint32_t>> pair_words_;
  std::priority_queue<HeapEntry> heap_;
  std::vector<Pair> touched_;
  std::unordered_set<Pair> raised_;
};

}  // namespace

TrainResult train_bpe(const PieceCounts& counts, const TrainOptions& options) {
  const std::size_t specials = options.special_tokens.size();
  if (options.vocab_size < 256 + specials)
    throw Error(cat("a vocabulary of ", options.vocab_size, " cannot hold the 256 bytes and ",
                    specials, " special tokens; ask for at least ", 256 + specials));
  if (options.vocab_size > 16'000'000)
    throw Error(cat("a vocabulary of ", options.vocab_size, " is too large (at most 16000000)"));
  TrainResult result;
  for (int b = 0; b < 256; ++b) result.tokens.push_back(std::string(1, static_cast<char>(b)));
  result.merges_wanted = options.vocab_size - 256 - specials;
  Merger merger(counts);
  // Two merges can spell the same bytes ("a"+"bc", "ab"+"c"): the second reuses the token.
  std::unordered_map<std::string, std::uint32_t> ids;
  Pair pair = 0;
  std::uint32_t stamp = 0;
  while (result.tokens.size() < 256 + result.merges_wanted && merger.best(pair)) {
    std::string bytes = result.tokens[pair >> 32] + result.tokens[pair & 0xffffffffu];
    auto [found, fresh] = ids.emplace(bytes, static_cast<std::uint32_t>(result.tokens.size()));
    if (fresh) result.tokens.push_back(std::move(bytes));
    merger.merge(pair, found->second, ++stamp);
    const std::size_t done = result.tokens.size() - 256;
    if (options.progress && fresh && (done % 256 == 0 || done == result.merges_wanted))
      options.progress(done, result.merges_wanted);
  }
  auto next = static_cast<TokenId>(result.tokens.size());
  for (const std::string& name : options.special_tokens) result.specials.emplace_back(name, next++);
  return result;
}

BpeTokenizer tokenizer_from(TrainResult result, const Pretokenizer& pretokenizer,
                            const std::string& end_of_text) {
  return BpeTokenizer(std::make_shared<const Vocabulary>(std::move(result.tokens)), pretokenizer,
                      std::move(result.specials), end_of_text);
}

}  // namespace forge::bpe
