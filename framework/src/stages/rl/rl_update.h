#pragma once

// The optimisation half of an RL step: compute_gradients() fills every parameter's gradient for
// one batch of this rank's samples, apply_update() sums them over the ranks, clips them and
// steps AdamW.

#include <forge/architecture.h>
#include <forge/loss.h>

#include "dist/communicator.h"
#include "stages/rl/sequence_batch.h"
#include "train/parallel_optimizer.h"

#include <map>
#include <string>
#include <vector>

namespace forge {

struct MicroBatch {
  SequenceBatch rows;
  Tensor advantages;    // f32 [B]
  Tensor old_logprobs;  // f32 [B, T] of the sampling policy; undefined when on-policy
  Tensor ref_logprobs;  // f32 [B, T] of the frozen reference; undefined without one
};

// One optimizer step's samples.
struct UpdateBatch {
  std::vector<MicroBatch> micro;
  double tokens = 0, sequences = 0;  // sampled tokens and samples in the whole batch
};

struct UpdatePlan {
  std::int64_t micro_batch = 8;   // samples per forward pass
  std::int64_t mini_batches = 1;  // optimizer steps each epoch takes over the rollout
  bool on_policy = true;          // one step per rollout: the ratio is 1, no old log-probs
  std::int64_t context = 0;
  TokenId pad = 0;
  Device device;
  std::int64_t batches = 0;  // > 0: exactly this many (some may be empty), as all ranks agree
};

// The samples (with their advantages) in `plan.mini_batches` batches of micro-batches, in
// order; old and reference log-probabilities are computed now, before any update.
FORGE_API std::vector<UpdateBatch> plan_updates(const std::vector<const Sample*>& samples,
                                                const std::vector<double>& advantages,
                                                Model& policy, Model* reference,
                                                const UpdatePlan& plan);

struct GradientResult {
  double loss = 0;
  std::map<std::string, double> metrics;  // the loss's, weighted by each micro-batch's tokens
};

// With several ranks each plans its own samples; this makes every batch's tokens and sequences
// the totals over the ranks, which the loss normalises by.
FORGE_API void sum_batch_totals(std::vector<UpdateBatch>& batches, Communicator& world);

// Zeroes the gradients, then accumulates those of the loss over `batch`. A loss that reads
// total_tokens/total_sequences (policy_gradient) sums to one normalised loss by itself; with
// `mean_loss` each micro-batch's loss is a mean over its tokens (cross_entropy) and is weighted
// by its share of the batch's tokens.
FORGE_API GradientResult compute_gradients(Model& model, ParallelOptimizer& optimizer,
                                           const Loss& loss, const UpdateBatch& batch,
                                           bool mean_loss);

// Sums the gradients over the ranks and returns their global norm before clipping, after
// AdamW's step at `lr` with the clip folded in (no step when the norm is not finite).
FORGE_API double apply_update(ParallelOptimizer& optimizer, double lr, double grad_clip);

}  // namespace forge
