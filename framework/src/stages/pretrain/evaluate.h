#pragma once

#include <forge/architecture.h>
#include <forge/dataset.h>
#include <forge/tokenizer.h>

#include "dist/communicator.h"
#include "stages/pretrain/batches.h"

#include <cstdint>
#include <vector>

namespace forge {

struct EvalResult {
  double loss = 0;           // mean cross-entropy (nats) over every target (learned, if masked)
  double bits_per_byte = 0;  // over the targets that are text, not special tokens
  std::uint64_t tokens = 0;
};

// UTF-8 bytes each id stands for; 0 for special tokens, which bits per byte leaves out.
std::vector<float> token_bytes(const Tokenizer& tokenizer);

// The validation loss over the first `batches` micro-batches of `source` (rewound first), so
// every evaluation of a run sees the same windows. Collective: the ranks share the batches
// and every rank returns the whole result.
EvalResult evaluate(Model& model, BatchSource& source, const std::vector<float>& bytes,
                    std::int64_t batches, std::int64_t micro_batch, std::int64_t seq_len,
                    Communicator& world);

}  // namespace forge
