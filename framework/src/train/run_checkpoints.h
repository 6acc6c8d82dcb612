#pragma once

// A training run's checkpoints in its folder, written and found the same way by every training
// stage, whatever the world size.

#include <forge/architecture.h>
#include <forge/tokenizer.h>

#include "train/parallel_optimizer.h"
#include "train/train_checkpoint.h"

#include <filesystem>
#include <optional>

namespace forge {

// Collective: rank 0 writes checkpoints/step-N.h5 with the whole optimizer state, then keeps the
// newest `keep` (0 keeps all).
void save_run_checkpoint(const std::filesystem::path& run_dir, std::int64_t keep, Model& model,
                         ParallelOptimizer& optimizer, const Tokenizer& tokenizer,
                         const CheckpointMeta& meta, const TrainPosition& position);

// Loads the run's newest checkpoint into `model` and `optimizer` (every rank), logging where
// it resumes; nullopt when the run has none yet.
std::optional<TrainPosition> restore_run_checkpoint(const std::filesystem::path& run_dir,
                                                    Model& model, ParallelOptimizer& optimizer,
                                                    std::int64_t steps);

}  // namespace forge
