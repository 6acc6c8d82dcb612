#pragma once

// Trains a byte-level BPE vocabulary from counted pieces: start from the 256 bytes and merge,
// again and again, the adjacent pair of tokens that occurs most often over all pieces.

#include <forge/export.h>

#include "bpe/bpe_tokenizer.h"
#include "bpe/piece_counts.h"

#include <functional>
#include <string>
#include <vector>

namespace forge::bpe {

struct TrainOptions {
  std::size_t vocab_size = 32768;  // 256 bytes + merges + special tokens
  std::vector<std::string> special_tokens = {"<|endoftext|>"};
  std::string end_of_text = "<|endoftext|>";
  // Called now and then with the merges done and the merges wanted.
  std::function<void(std::size_t, std::size_t)> progress;
};

struct TrainResult {
  std::vector<std::string> tokens;  // by rank: the 256 bytes, then one per merge
  SpecialTokens specials;           // after the last merge, in the order asked for
  std::size_t merges_wanted = 0;    // fewer merges happen when no pair occurs twice
};

// Deterministic: the most frequent pair wins; among equally frequent pairs the one whose
// tokens have the lowest ids (left first). Pair counts are kept up to date incrementally and
// read from a max-heap whose stale entries are dropped when they surface, so each merge costs
// time in proportion to the pieces it touches.
FORGE_API TrainResult train_bpe(const PieceCounts& counts, const TrainOptions& options);

// The tokenizer a training result makes with `pretokenizer`.
FORGE_API BpeTokenizer tokenizer_from(TrainResult result, const Pretokenizer& pretokenizer,
                                      const std::string& end_of_text);

}  // namespace forge::bpe
