#pragma once

// AdamW across the data-parallel ranks of a run: gradients summed over the ranks, then either
// every rank updates every parameter (all-reduce) or each updates its shard and the shards are
// gathered (ZeRO-1). Either way a checkpoint holds the moments as one process would, so a run
// resumes on any world size.

#include <forge/architecture.h>
#include <forge/export.h>

#include "dist/communicator.h"
#include "train/optimizer.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace forge {

enum class DataParallel { all_reduce, zero1 };

struct DataParallelConfig {
  DataParallel mode = DataParallel::all_reduce;
  std::int64_t bucket_bytes = 25 << 20;  // gradients travel in buckets of about this size
  bool overlap = true;                   // all_reduce: buckets start summing while backward runs
};

class FORGE_API ParallelOptimizer {
 public:
  virtual ~ParallelOptimizer();

  virtual void zero_grad() = 0;
  // The next backward() is this rank's last of the step: where the optimizer overlaps, its
  // gradients start their sums as backward completes them.
  virtual void overlap_next_backward() {}
  // Whether overlap_next_backward() does anything, for the log.
  virtual bool overlaps() const { return false; }
  // Collective: sums the gradients over the ranks and returns their global L2 norm.
  virtual double reduce_gradients() = 0;
  // Collective: one AdamW update of every parameter, every rank ending with the same values.
  virtual void step(double lr, double grad_scale) = 0;
  // Collective: calls `write` on rank 0 with the whole optimizer state.
  virtual void checkpoint(const std::function<void(const OptimizerState&)>& write) = 0;
  // Every rank reads the whole state from the checkpoint and keeps its part.
  virtual OptimizerState& loader() = 0;

  virtual std::int64_t steps() const = 0;
  virtual std::int64_t decayed_count() const = 0;
  // The moments this rank holds, and what one process alone would hold.
  virtual std::int64_t state_bytes() const = 0;
  virtual std::int64_t unsharded_state_bytes() const = 0;
};

FORGE_API std::unique_ptr<ParallelOptimizer> make_parallel_optimizer(
    Model& model, const AdamWConfig& config, Communicator& world,
    const DataParallelConfig& parallel);

// A rank that saw no data for a parameter (an RL rank without samples) still takes part in
// the sums: its missing gradients become zeros.
FORGE_API void zero_missing_gradients(NamedTensors& params);

// Sums every defined tensor over the ranks in place, packing consecutive tensors of one dtype
// into buckets of about `bucket_bytes` so that small tensors share one message.
FORGE_API void all_reduce_in_buckets(Communicator& world, const std::vector<Tensor>& tensors,
                                     std::int64_t bucket_bytes);

}  // namespace forge
