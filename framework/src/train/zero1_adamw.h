#pragma once

#include "train/parallel_optimizer.h"

namespace forge {

// ZeRO-1: the parameters laid end to end are cut into one equal shard per rank; gradients are
// reduce-scattered, each rank keeps the moments of its shard only and updates it, and the
// updated shards are all-gathered.
std::unique_ptr<ParallelOptimizer> make_zero1_adamw(Model& model, const AdamWConfig& config,
                                                    Communicator& world);

}  // namespace forge
