#pragma once

// Micro-batches of next-token training: windows of seq_len + 1 tokens cut into inputs and
// targets shifted by one; for conversations also a loss mask and where each document starts.

#include <forge/dataset.h>
#include <forge/loss.h>
#include <forge/tensor.h>

#include <cstdint>
#include <memory>

namespace forge {

struct TokenBatch {
  Tensor ids, targets;     // i32 [B, T]
  Tensor weights;          // f32 [B, T], 1 where the target is learned; undefined: all are
  Tensor document_starts;  // i32 [B, T] for packed documents; undefined: one stream
};

// Where a training stage draws its micro-batches from. Batch i depends only on the source's
// settings and i, so a run resumes exactly from position().
class BatchSource {
 public:
  virtual ~BatchSource() = default;
  virtual TokenBatch next(std::int64_t rows, std::int64_t seq_len, Device device) = 0;
  // Moves past the batch next() would return: another data-parallel rank's micro-batch.
  virtual void skip(std::int64_t rows, std::int64_t seq_len) { next(rows, seq_len, Device::cpu()); }
  virtual std::uint64_t position() const = 0;
  virtual void seek(std::uint64_t position) = 0;
};

// Reads `rows` windows from `source` (advancing it) onto `device`.
TokenBatch next_batch(TokenSource& source, std::int64_t rows, std::int64_t seq_len, Device device);

// Batches of a dataset's token windows (pretraining).
std::unique_ptr<BatchSource> window_batches(std::unique_ptr<TokenSource> source);

}  // namespace forge
