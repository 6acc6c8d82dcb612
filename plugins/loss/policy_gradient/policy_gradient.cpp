// Loss `policy_gradient`: PPO's clipped surrogate over sampled tokens, as GRPO uses it,
//   loss = -sum_t w_t min(rho_t A, clip(rho_t, 1 - eps, 1 + eps) A) + beta sum_t w_t k3_t,
// with rho_t = exp(logp_t - logp_old_t), A the sample's advantage, w_t the normalisation
// (token: 1 / all tokens; sequence: 1 / (the sequence's tokens * sequences)) and k3 the KL
// estimate exp(r) - r - 1, r = logp_ref - logp, against a frozen reference (Schulman's k3).
//
// Reads "logits" [B, T, V], "targets" [B, T] (i32, the sampled tokens), "weights" [B, T] (1 on
// the tokens the policy wrote), "advantages" [B]; optionally "old_logprobs" [B, T] (the
// sampling policy's; absent: on-policy, rho = 1 with the gradient of logp), "ref_logprobs"
// [B, T] (needed when kl_coef > 0), and "total_tokens" / "total_sequences" (one element each:
// the whole optimizer batch's counts, so that micro-batches sum to one normalised loss).
// Metrics: clip_fraction (share of tokens whose clip held the gradient at 0), ratio (mean
// rho), kl (mean k3, with a reference); all over this micro-batch's tokens.
#include <forge/autograd.h>
#include <forge/loss.h>
#include <forge/nn.h>
#include <forge/ops.h>

#include <algorithm>
#include <cmath>

namespace forge {
namespace {

std::vector<double> values_of(const Tensor& tensor) { return tensor.to_doubles(); }

Tensor constant(const std::vector<double>& values, const Shape& shape, const Tensor& like) {
  std::vector<float> floats(values.begin(), values.end());
  return Tensor::from_floats(floats, shape).to(like.dtype()).to(like.device());
}

class PolicyGradient : public Loss {
 public:
  explicit PolicyGradient(const Config& config)
      : eps_low_(config.number("clip_eps")),
        eps_high_(config.has("clip_eps_high") ? config.number("clip_eps_high") : eps_low_),
        per_token_(config.string("normalize") == "token"),
        kl_coef_(config.number("kl_coef")) {}

  LossResult compute(const LossBatch& batch) const override {
    const Tensor& targets = batch.get("targets");
    const Tensor& advantages = batch.get("advantages");
    const std::int64_t B = targets.size(0), T = targets.size(1);
    if (targets.ndim() != 2 || advantages.numel() != B)
      throw Error(cat("policy_gradient: targets must be [B, T] and advantages [B]; got ",
                      shape_str(targets.shape()), " and ", shape_str(advantages.shape())));
    Tensor logp = nn::token_log_probs(batch.get("logits"), targets);
    const std::vector<double> mask = values_of(batch.get("weights"));
    const std::vector<double> adv = values_of(advantages);
    const std::vector<double> now = values_of(logp.detach());
    const Tensor* old_tensor = batch.find("old_logprobs");
    const std::vector<double> old = old_tensor ? values_of(*old_tensor) : now;
    const Tensor* ref_tensor = batch.find("ref_logprobs");
    if (kl_coef_ > 0 && !ref_tensor)
      throw Error("policy_gradient: kl_coef > 0 needs ref_logprobs, a frozen reference's");

    // Each token's share w_t of the batch's loss.
    std::vector<double> length(static_cast<std::size_t>(B), 0.0);
    double tokens = 0, sequences = 0;
    for (std::int64_t b = 0; b < B; ++b) {
      for (std::int64_t t = 0; t < T; ++t) length[b] += mask[b * T + t] > 0 ? 1 : 0;
      tokens += length[b];
      sequences += length[b] > 0 ? 1 : 0;
    }
    if (const Tensor* total = batch.find("total_tokens")) tokens = total->item();
    if (const Tensor* total = batch.find("total_sequences")) sequences = total->item();

    std::vector<double> coef(now.size(), 0.0), kl_weight(now.size(), 0.0);
    double held = 0, clipped = 0, ratio_sum = 0, counted = 0;
    for (std::int64_t b = 0; b < B; ++b)
      for (std::int64_t t = 0; t < T; ++t) {
        const std::size_t n = static_cast<std::size_t>(b * T + t);
        if (mask[n] <= 0) continue;
        const double w = per_token_ ? 1.0 / tokens : 1.0 / (length[b] * sequences);
        const double A = adv[b], rho = std::exp(now[n] - old[n]);
        const double bounded = std::clamp(rho, 1.0 - eps_low_, 1.0 + eps_high_);
        // min() takes the clipped term, whose gradient is 0, only when it is strictly lower.
        if (bounded * A < rho * A) {
          held -= w * bounded * A;
          ++clipped;
        } else {
          coef[n] = -w * A;
        }
        kl_weight[n] = kl_coef_ * w;
        ratio_sum += rho;
        ++counted;
      }
    const Shape shape = targets.shape();
    Tensor ratio = ops::exp(ops::sub(logp, constant(old, shape, logp)));
    Tensor loss = ops::sum(ops::mul(ratio, constant(coef, shape, logp)));
    LossResult result;
    if (ref_tensor) {
      Tensor r = ops::sub(*ref_tensor, logp);
      Tensor k3 = ops::affine(ops::sub(ops::exp(r), r), 1.0, -1.0);
      if (kl_coef_ > 0)
        loss = ops::add(loss, ops::sum(ops::mul(k3, constant(kl_weight, shape, logp))));
      const std::vector<double> k3_values = values_of(k3.detach());
      double kl = 0;
      for (std::size_t n = 0; n < k3_values.size(); ++n) kl += mask[n] > 0 ? k3_values[n] : 0;
      result.metrics["kl"] = counted ? kl / counted : 0;
    }
    result.loss = ops::affine(loss, 1.0, held);
    result.metrics["clip_fraction"] = counted ? clipped / counted : 0;
    result.metrics["ratio"] = counted ? ratio_sum / counted : 1;
    return result;
  }

 private:
  double eps_low_, eps_high_;
  bool per_token_;
  double kl_coef_;
};

std::vector<PluginInfo> plugins() {
  return {describe_plugin<PolicyGradient>(
      "policy_gradient", "1.0",
      "PPO/GRPO clipped surrogate over sampled tokens, with an optional k3 KL to a reference",
      Schema{
          param::number("clip_eps")
              .fallback(0.2)
              .range(0.0, 1.0)
              .doc("the ratio is clipped to [1 - clip_eps, 1 + clip_eps_high]"),
          param::number("clip_eps_high")
              .range(0.0, 10.0)
              .doc("upper clip (DAPO's clip-higher); unset: clip_eps"),
          param::string("normalize")
              .fallback("token")
              .one_of({"token", "sequence"})
              .doc("token: every sampled token counts alike; sequence: the mean over each "
                   "sequence, then over sequences (GRPO's original)"),
          param::number("kl_coef").fallback(0.0).at_least(0).doc(
              "weight of the k3 KL estimate to the frozen reference; 0: no reference"),
      })};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
