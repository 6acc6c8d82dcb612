// Loss `cross_entropy`: next-token cross-entropy on the fused kernel, with an ignore index, an
// optional loss mask ("weights") and PaLM's optional z-loss.
#include <forge/autograd.h>
#include <forge/loss.h>
#include <forge/ops.h>

namespace forge {
namespace {

class CrossEntropy : public Loss {
 public:
  explicit CrossEntropy(const Config& config)
      : ignore_index_(config.integer("ignore_index")), z_loss_(config.number("z_loss")) {}

  // Reads "logits" [B, T, V], "targets" [B, T] (i32) and, when present, "weights" [B, T].
  LossResult compute(const LossBatch& batch) const override {
    const Tensor& logits = batch.get("logits");
    const Tensor& targets = batch.get("targets");
    ops::CrossEntropyOptions options;
    options.ignore_index = ignore_index_;
    if (const Tensor* weights = batch.find("weights")) options.weights = *weights;
    LossResult result;
    if (z_loss_ > 0) {
      // The logged loss stays the pure cross-entropy, so runs with and without z-loss compare.
      NoGradGuard no_grad;
      result.metrics["cross_entropy"] = ops::cross_entropy(logits, targets, options).item();
    }
    options.z_loss = z_loss_;
    result.loss = ops::cross_entropy(logits, targets, options);
    if (z_loss_ > 0)
      result.metrics["z_loss"] = result.loss.item() - result.metrics["cross_entropy"];
    return result;
  }

 private:
  std::int64_t ignore_index_;
  double z_loss_;
};

std::vector<PluginInfo> plugins() {
  return {describe_plugin<CrossEntropy>(
      "cross_entropy", "1.0",
      "Mean next-token cross-entropy; ignore index, loss mask and optional z-loss",
      Schema{
          param::integer("ignore_index")
              .fallback(-100)
              .doc("targets with this id do not count (e.g. padding)"),
          param::number("z_loss").fallback(0.0).at_least(0).doc(
              "weight of PaLM's z-loss, z_loss * logsumexp^2, which keeps logits from drifting"),
      })};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
