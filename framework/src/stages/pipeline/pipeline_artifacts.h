#pragma once

// What a pipeline's stage leaves for the stages after it, and the link that names its newest
// checkpoint.

#include <forge/node.h>

#include "stages/resolve.h"

#include <filesystem>

namespace forge {

// The ${stages.NAME.KEY} values of a stage that runs in `dir`: dir, checkpoint
// (checkpoints/last.h5), tokenizer (the tokenizer stage's output, else tokenizer.tiktoken) and
// tokens (the tokenize stage's output folder, else tokens).
Node stage_artifacts(const ResolvedRecipe& stage, const std::filesystem::path& dir);

// Points dir/checkpoints/last.h5 at the checkpoint of the highest step (a relative symlink,
// replaced atomically); does nothing when there is none.
void link_last_checkpoint(const std::filesystem::path& dir);

}  // namespace forge
