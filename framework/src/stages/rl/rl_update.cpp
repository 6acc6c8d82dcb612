#include "stages/rl/rl_update.h"

#include <forge/ops.h>

#include "train/grad_norm.h"

#include <algorithm>

namespace forge {

std::vector<UpdateBatch> plan_updates(const std::vector<const Sample*>& samples,
                                      const std::vector<double>& advantages, Model& policy,
                                      Model* reference, const UpdatePlan& plan) {
  const auto total = static_cast<std::int64_t>(samples.size());
  const std::int64_t batches = plan.batches > 0
                                   ? plan.batches
                                   : std::max<std::int64_t>(1, std::min(plan.mini_batches, total));
  std::vector<UpdateBatch> out;
  for (std::int64_t k = 0; k < batches; ++k) {
    const std::int64_t first = total * k / batches, last = total * (k + 1) / batches;
    UpdateBatch batch;
    for (std::int64_t from = first; from < last; from += plan.micro_batch) {
      const std::int64_t to = std::min(last, from + plan.micro_batch);
      std::vector<const Sample*> rows(samples.begin() + from, samples.begin() + to);
      std::vector<float> adv(advantages.begin() + from, advantages.begin() + to);
      MicroBatch micro;
      micro.rows = sequence_batch(rows, plan.pad, plan.context, plan.device);
      micro.advantages =
          Tensor::from_floats(adv, {static_cast<std::int64_t>(adv.size())}).to(plan.device);
      if (!plan.on_policy) micro.old_logprobs = target_log_probs(policy, micro.rows);
      if (reference) micro.ref_logprobs = target_log_probs(*reference, micro.rows);
      batch.tokens += micro.rows.tokens;
      batch.sequences += static_cast<double>(rows.size());
      batch.micro.push_back(std::move(micro));
    }
    out.push_back(std::move(batch));
  }
  return out;
}

void sum_batch_totals(std::vector<UpdateBatch>& batches, Communicator& world) {
  if (world.size() == 1) return;
  std::vector<double> totals;
  for (const UpdateBatch& batch : batches) {
    totals.push_back(batch.tokens);
    totals.push_back(batch.sequences);
  }
  totals = world.all_reduce(totals);
  for (std::size_t i = 0; i < batches.size(); ++i) {
    batches[i].tokens = totals[2 * i];
    batches[i].sequences = totals[2 * i + 1];
  }
}

GradientResult compute_gradients(Model& model, ParallelOptimizer& optimizer, const Loss& loss,
                                 const UpdateBatch& batch, bool mean_loss) {
  optimizer.zero_grad();
  GradientResult result;
  const Device device = model.parameters().front().second.device();
  auto scalar = [&](double value) {
    return Tensor::from_floats(std::vector<float>{static_cast<float>(value)}, {1}).to(device);
  };
  for (const MicroBatch& micro : batch.micro) {
    if (micro.rows.tokens == 0) continue;
    LossBatch inputs;
    inputs.tensors["logits"] = model.forward(micro.rows.ids);
    inputs.tensors["targets"] = micro.rows.targets;
    inputs.tensors["weights"] = micro.rows.mask;
    inputs.tensors["advantages"] = micro.advantages;
    inputs.tensors["total_tokens"] = scalar(batch.tokens);
    inputs.tensors["total_sequences"] = scalar(batch.sequences);
    if (micro.old_logprobs.defined()) inputs.tensors["old_logprobs"] = micro.old_logprobs;
    if (micro.ref_logprobs.defined()) inputs.tensors["ref_logprobs"] = micro.ref_logprobs;
    LossResult out = loss.compute(inputs);
    const double share = micro.rows.tokens / batch.tokens;
    Tensor objective = mean_loss ? ops::affine(out.loss, share) : out.loss;
    objective.backward();
    result.loss += objective.item();
    for (const auto& [name, value] : out.metrics) result.metrics[name] += value * share;
  }
  return result;
}

double apply_update(ParallelOptimizer& optimizer, double lr, double grad_clip) {
  const double norm = optimizer.reduce_gradients();
  if (std::isfinite(norm)) optimizer.step(lr, clip_factor(norm, grad_clip));
  return norm;
}

}  // namespace forge
