#pragma once

// Training checkpoints: everything a run needs to continue exactly, and everything `forge
// sample` needs to generate from the file alone. Layout: docs/checkpoint-format.md.

#include <forge/architecture.h>
#include <forge/export.h>
#include <forge/tokenizer.h>

#include "train/optimizer.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace forge {

inline constexpr std::int64_t kCheckpointFormatVersion = 1;

// Where a run stands between two optimizer steps.
struct TrainPosition {
  std::int64_t step = 0;            // optimizer steps done
  std::uint64_t tokens_seen = 0;    // training tokens consumed
  std::uint64_t data_position = 0;  // the training token source's position()
  double elapsed_s = 0;             // training time so far, summed over processes
};

// What goes into a checkpoint beside the model's parameters.
struct CheckpointMeta {
  std::string recipe;                // the resolved recipe, as recipe.yaml holds it
  std::string stage;                 // the stage that wrote it
  std::string architecture;          // the model's plugin name
  std::string tokenizer_plugin;      // rebuilt from its serialize() text by this plugin
  std::vector<std::string> plugins;  // "kind/name version" of every plugin the run used
  std::uint64_t seed = 0;
};

FORGE_API void save_checkpoint(const std::filesystem::path& file, Model& model,
                               const OptimizerState* optimizer, const Tokenizer& tokenizer,
                               const CheckpointMeta& meta, const TrainPosition& position);

// Restores parameters (and the optimizer's moments when given) and returns the position.
FORGE_API TrainPosition load_checkpoint(const std::filesystem::path& file, Model& model,
                                        OptimizerState* optimizer);

// A run's checkpoints/ files "step-00000500.h5", oldest first.
FORGE_API std::filesystem::path checkpoint_path(const std::filesystem::path& run_dir,
                                                std::int64_t step);
FORGE_API std::vector<std::filesystem::path> list_checkpoints(const std::filesystem::path& run_dir);
// Removes all but the newest `keep` (0 keeps every one).
FORGE_API void prune_checkpoints(const std::filesystem::path& run_dir, std::int64_t keep);

}  // namespace forge
