#pragma once

// Micro-batches of next-token training: windows of seq_len + 1 tokens cut into inputs and
// targets shifted by one.

#include <forge/dataset.h>
#include <forge/loss.h>
#include <forge/tensor.h>

#include <cstdint>

namespace forge {

struct TokenBatch {
  Tensor ids, targets;  // i32 [B, T]
};

// Reads `rows` windows from `source` (advancing it) onto `device`.
TokenBatch next_batch(TokenSource& source, std::int64_t rows, std::int64_t seq_len, Device device);

}  // namespace forge
