#include "train/run_checkpoints.h"

#include <forge/log.h>

namespace forge {

void save_run_checkpoint(const std::filesystem::path& run_dir, std::int64_t keep, Model& model,
                         ParallelOptimizer& optimizer, const Tokenizer& tokenizer,
                         const CheckpointMeta& meta, const TrainPosition& position) {
  optimizer.checkpoint([&](const OptimizerState& state) {
    save_checkpoint(checkpoint_path(run_dir, position.step), model, &state, tokenizer, meta,
                    position);
    prune_checkpoints(run_dir, keep);
  });
}

std::optional<TrainPosition> restore_run_checkpoint(const std::filesystem::path& run_dir,
                                                    Model& model, ParallelOptimizer& optimizer,
                                                    std::int64_t steps) {
  std::vector<std::filesystem::path> saved = list_checkpoints(run_dir);
  if (saved.empty()) {
    log_info("no checkpoint in ", run_dir.string(), " yet: training starts over");
    return std::nullopt;
  }
  TrainPosition position = load_checkpoint(saved.back(), model, &optimizer.loader());
  log_info("resumed from ", saved.back().string(), " at step ", position.step, " of ", steps);
  return position;
}

}  // namespace forge
