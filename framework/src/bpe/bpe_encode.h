#pragma once

#include <forge/export.h>

#include "bpe/vocabulary.h"

#include <string_view>
#include <vector>

namespace forge::bpe {

// Appends the BPE encoding of one pre-tokenized piece: start from its single bytes and keep
// merging the adjacent pair whose merged token has the lowest rank (the leftmost on ties)
// until no pair merges, exactly as tiktoken does. Linear scans for short pieces; a heap with
// lazily dropped entries for long ones, so a long piece costs O(n log n), never O(n^2).
FORGE_API void encode_piece(const Vocabulary& vocabulary, std::string_view piece,
                            std::vector<TokenId>& out);

// The same merge loop by plain scans at any length: the reference for tests.
FORGE_API void encode_piece_by_scans(const Vocabulary& vocabulary, std::string_view piece,
                                     std::vector<TokenId>& out);

}  // namespace forge::bpe
