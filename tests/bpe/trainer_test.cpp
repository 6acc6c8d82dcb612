// The BPE trainer: the merges it picks, its tie-breaks, its limits, and that what it learns
// encodes and decodes losslessly and compresses.
#include "bpe/trainer.h"
#include "bpe/bpe_tokenizer.h"
#include "support/test_support.h"

#include <forge/random.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

namespace forge::bpe {
namespace {

PieceCounts counts_of(const std::vector<std::string>& texts, const std::string& pattern,
                      PieceCountLimits limits = {}) {
  PieceCounts counts(limits);
  Pretokenizer pretokenizer = Pretokenizer::builtin(pattern);
  for (const std::string& text : texts) counts.add(pretokenizer, text);
  return counts;
}

std::vector<std::string> merges_of(const TrainResult& result) {
  return std::vector<std::string>(result.tokens.begin() + 256, result.tokens.end());
}

TEST(BpeTrainer, MergesTheMostFrequentPairFirst) {
  // One piece, "aaabdaaabac": "aa" is the most frequent pair; then "ab" and "aa"+"a" tie
  // at 2 and "ab" has the lower ids.
  PieceCounts counts = counts_of({"aaabdaaabac"}, "gpt2");
  TrainOptions options;
  options.vocab_size = 256 + 3 + 1;
  TrainResult result = train_bpe(counts, options);
  EXPECT_EQ(merges_of(result), (std::vector<std::string>{"aa", "ab", "aaab"}));
  ASSERT_EQ(result.specials.size(), 1u);
  EXPECT_EQ(result.specials[0], (std::pair<std::string, TokenId>{"<|endoftext|>", 259}));
}

TEST(BpeTrainer, BreaksTiesByTheLowestIdsAndIsDeterministic) {
  // "ab" and "cd" both occur twice: "ab" (ids 97, 98) comes before "cd" (99, 100).
  TrainOptions options;
  options.vocab_size = 256 + 2 + 1;
  EXPECT_EQ(merges_of(train_bpe(counts_of({"cd+ab+cd+ab"}, "gpt2"), options)),
            (std::vector<std::string>{"ab", "cd"}));
  // Counting in two halves and merging gives the very same vocabulary.
  const std::string text = test::read_text("/usr/share/common-licenses/GPL-3");
  options.vocab_size = 1500;
  PieceCounts whole = counts_of({text}, "cl100k_base");
  PieceCounts half = counts_of({text.substr(0, text.size() / 2)}, "cl100k_base");
  half.merge(counts_of({text.substr(text.size() / 2)}, "cl100k_base"));
  // A cut in the middle of a word changes two pieces; compare counts built the same way.
  PieceCounts again = counts_of({text.substr(0, text.size() / 2)}, "cl100k_base");
  again.merge(counts_of({text.substr(text.size() / 2)}, "cl100k_base"));
  EXPECT_EQ(train_bpe(half, options).tokens, train_bpe(again, options).tokens);
  EXPECT_EQ(train_bpe(whole, options).tokens, train_bpe(whole, options).tokens);
}

TEST(BpeTrainer, LearnsAVocabularyThatRoundTripsAndCompresses) {
  const std::string text = test::read_text("/usr/share/common-licenses/GPL-3");
  TrainOptions options;
  options.vocab_size = 1200;
  options.special_tokens = {"<|endoftext|>", "<|im_start|>"};
  TrainResult result = train_bpe(counts_of({text}, "cl100k_base"), options);
  EXPECT_EQ(result.tokens.size() + result.specials.size(), 1200u);
  BpeTokenizer tokenizer =
      tokenizer_from(result, Pretokenizer::builtin("cl100k_base"), "<|endoftext|>");
  std::vector<TokenId> ids;
  tokenizer.encode(text, ids);
  EXPECT_EQ(tokenizer.decode(ids), text);
  EXPECT_GT(static_cast<double>(text.size()) / ids.size(), 3.0);
  EXPECT_EQ(tokenizer.vocab_size(), 1200u);
}

TEST(BpeTrainer, StopsWhenNoPairRepeatsAndRefusesImpossibleSizes) {
  TrainOptions options;
  options.vocab_size = 1000;
  TrainResult result = train_bpe(counts_of({"abcabc"}, "gpt2"), options);
  EXPECT_EQ(merges_of(result), (std::vector<std::string>{"ab", "abc"}));
  EXPECT_EQ(result.merges_wanted, 1000u - 256 - 1);
  options.vocab_size = 200;
  EXPECT_THROW(train_bpe(counts_of({"abc"}, "gpt2"), options), Error);
}

// Recounts every pair before each merge: slow, and obviously what BPE training means.
std::vector<std::string> naive_merges(const PieceCounts& counts, std::size_t merges) {
  std::vector<std::pair<std::vector<std::uint32_t>, std::uint64_t>> words;
  for (const auto& [piece, n] : counts.counts()) {
    std::vector<std::uint32_t> ids;
    for (unsigned char c : piece) ids.push_back(c);
    words.emplace_back(ids, n);
  }
  std::vector<std::string> tokens;
  for (int b = 0; b < 256; ++b) tokens.push_back(std::string(1, static_cast<char>(b)));
  std::vector<std::string> out;
  while (out.size() < merges) {
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint64_t> pairs;
    for (const auto& [ids, n] : words)
      for (std::size_t i = 0; i + 1 < ids.size(); ++i) pairs[{ids[i], ids[i + 1]}] += n;
    std::pair<std::uint32_t, std::uint32_t> best{};
    std::uint64_t best_count = 0;
    for (const auto& [pair, n] : pairs)  // the map walks pairs in increasing order
      if (n > best_count) best = pair, best_count = n;
    if (best_count < 2) break;
    const std::string bytes = tokens[best.first] + tokens[best.second];
    auto existing = std::find(tokens.begin(), tokens.end(), bytes);
    const auto made = static_cast<std::uint32_t>(existing - tokens.begin());
    if (existing == tokens.end()) {
      tokens.push_back(bytes);
      out.push_back(bytes);
    }
    for (auto& [ids, n] : words) {
      std::vector<std::uint32_t> merged;
      for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i + 1 < ids.size() && ids[i] == best.first && ids[i + 1] == best.second) {
          merged.push_back(made);
          ++i;
        } else {
          merged.push_back(ids[i]);
        }
      }
      ids = merged;
    }
  }
  return out;
}

TEST(BpeTrainer, IncrementalCountsAgreeWithRecountingEverything) {
  Generator g(17);
  std::string text;
  for (int i = 0; i < 30000; ++i) text += "abcab  \n"[g.next_u64() % 8];
  PieceCounts counts = counts_of({text}, "cl100k_base");
  TrainOptions options;
  options.vocab_size = 256 + 150 + 1;
  const std::vector<std::string> expected = naive_merges(counts, 150);
  EXPECT_EQ(expected.size(), 150u);
  EXPECT_EQ(merges_of(train_bpe(counts, options)), expected);
}

TEST(PieceCounts, CutsLongPiecesAndDropsSingletonsPastTheCap) {
  PieceCountLimits limits;
  limits.max_piece_bytes = 4;
  PieceCounts cut = counts_of({std::string(10, 'x')}, "gpt2", limits);
  EXPECT_EQ(cut.counts().at("xxxx"), 2u);
  EXPECT_EQ(cut.counts().at("xx"), 1u);
  limits = {};
  limits.max_distinct = 3;
  PieceCounts capped = counts_of({"x a a b c d e"}, "gpt2", limits);
  EXPECT_LE(capped.counts().size(), 3u);
  EXPECT_EQ(capped.dropped(), 5u);  // "x", " b", " c", " d", " e": each seen once
  EXPECT_EQ(capped.counts().at(" a"), 2u);
}

}  // namespace
}  // namespace forge::bpe
