#pragma once

// Sampled turns as training rows: prompt and turn tokens, inputs and next-token targets, and a
// mask that is 1 exactly on the targets the policy sampled (never the prompt, never a tool's
// pasted output). Rows are padded at the end to the longest; padding is masked out.

#include <forge/architecture.h>
#include <forge/tensor.h>

#include "stages/rl/rollouts.h"

#include <vector>

namespace forge {

struct SequenceBatch {
  Tensor ids, targets;  // i32 [B, T]
  Tensor mask;          // f32 [B, T]
  double tokens = 0;    // sum of the mask
};

// Rows cut to the model's `context` inputs when a turn ran past it.
FORGE_API SequenceBatch sequence_batch(const std::vector<const Sample*>& samples, TokenId pad,
                                       std::int64_t context, Device device);

// The model's log-probability of every target, f32 [B, T], without a gradient.
FORGE_API Tensor target_log_probs(Model& model, const SequenceBatch& batch);

}  // namespace forge
