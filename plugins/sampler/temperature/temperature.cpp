// Sampler `temperature`: draws from softmax(logits / temperature) after optional top_k, top_p
// and min_p filtering.
#include <forge/error.h>
#include <forge/sampler.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <vector>

namespace forge {
namespace {

class Temperature : public Sampler {
 public:
  explicit Temperature(const Config& config)
      : temperature_(config.number("temperature")),
        top_k_(config.integer("top_k")),
        top_p_(config.number("top_p")),
        min_p_(config.number("min_p")) {
    // The schema's ranges are closed; these two ends are open.
    if (!(top_p_ > 0.0)) {
      config.fail("top_p",
                  "must be above 0 (it keeps the smallest set of tokens whose "
                  "probability reaches it); use 1.0 to turn it off");
    }
    if (!(min_p_ < 1.0)) {
      config.fail("min_p",
                  "must be below 1 (1 would drop every token but ties with the most "
                  "probable); use 0 to turn it off");
    }
  }

  void sample(std::span<const float> logits, std::size_t rows, std::size_t vocab,
              Generator& generator, std::span<TokenId> out) const override {
    FORGE_CHECK(vocab > 0 && logits.size() == rows * vocab && out.size() >= rows,
                "temperature: ", logits.size(), " logits for ", rows, " rows of ", vocab, ", ",
                out.size(), " outputs");
    for (std::size_t row = 0; row < rows; ++row) {
      std::span<const float> values = logits.subspan(row * vocab, vocab);
      check_finite(values, row);
      // One draw per row whatever the settings, so the stream's position depends only on rows.
      double uniform = generator.uniform();
      out[row] = static_cast<TokenId>(temperature_ == 0.0 ? argmax(values) : draw(values, uniform));
    }
  }

 private:
  static void check_finite(std::span<const float> values, std::size_t row) {
    for (std::size_t id = 0; id < values.size(); ++id) {
      if (!std::isfinite(values[id])) {
        throw Error(cat("[sampler temperature] row ", row, " has a non-finite logit (", values[id],
                        " at token ", id,
                        "); the model diverged: check the training run for a NaN loss or "
                        "sample from an earlier checkpoint"));
      }
    }
  }

  // Ties keep the lowest id.
  static std::size_t argmax(std::span<const float> values) {
    std::size_t best = 0;
    for (std::size_t id = 1; id < values.size(); ++id)
      if (values[id] > values[best]) best = id;
    return best;
  }

  std::size_t draw(std::span<const float> values, double uniform) const {
    const std::size_t vocab = values.size();
    const float max_logit = values[argmax(values)];
    std::vector<double> probs(vocab);
    double total = 0.0;
    for (std::size_t id = 0; id < vocab; ++id) {
      probs[id] = std::exp((static_cast<double>(values[id]) - max_logit) / temperature_);
      total += probs[id];
    }
    for (double& p : probs) p /= total;

    std::vector<std::uint32_t> kept = nucleus(probs);
    if (min_p_ > 0.0) {
      // The most probable token has probability 1 before normalisation: exp(0).
      double threshold = min_p_ * (1.0 / total);
      std::erase_if(kept, [&](std::uint32_t id) { return probs[id] < threshold; });
    }

    // Invert the CDF of the kept tokens in id order; the sum renormalises them.
    double kept_total = 0.0;
    for (std::uint32_t id : kept) kept_total += probs[id];
    double target = uniform * kept_total, cumulative = 0.0;
    for (std::uint32_t id : kept) {
      cumulative += probs[id];
      if (cumulative > target) return id;
    }
    return kept.back();  // rounding left the target at the very end
  }

  // The token ids, ascending, that survive top_k and then top_p.
  std::vector<std::uint32_t> nucleus(const std::vector<double>& probs) const {
    const std::size_t vocab = probs.size();
    std::vector<std::uint32_t> order(vocab);
    std::iota(order.begin(), order.end(), 0u);
    bool use_k = top_k_ > 0 && static_cast<std::size_t>(top_k_) < vocab;
    bool use_p = top_p_ < 1.0;
    if (!use_k && !use_p) return order;

    // Most probable first; ties go to the lower id so the cut is deterministic.
    auto more_probable = [&](std::uint32_t a, std::uint32_t b) {
      return probs[a] != probs[b] ? probs[a] > probs[b] : a < b;
    };
    std::size_t count = use_k ? static_cast<std::size_t>(top_k_) : vocab;
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(count),
                      order.end(), more_probable);
    if (use_p) {
      // top_p is measured on the distribution top_k left, renormalised.
      double within = 0.0;
      for (std::size_t i = 0; i < count; ++i) within += probs[order[i]];
      double cumulative = 0.0;
      std::size_t reach = 0;
      while (reach < count) {
        cumulative += probs[order[reach++]];
        if (cumulative >= top_p_ * within) break;
      }
      count = reach;
    }
    order.resize(count);
    std::sort(order.begin(), order.end());
    return order;
  }

  double temperature_;
  std::int64_t top_k_;
  double top_p_;
  double min_p_;
};

std::vector<PluginInfo> plugins() {
  // The docs number the steps: recipes read them in `forge plugins show sampler/temperature`.
  Schema schema{
      param::number("temperature")
          .fallback(1.0)
          .at_least(0.0)
          .doc("step 1: logits are divided by it before the softmax; 0 picks the top token"),
      param::integer("top_k").fallback(0).at_least(0).doc(
          "step 2: keeps only the k most probable tokens; 0 turns it off"),
      param::number("top_p").fallback(1.0).range(0.0, 1.0).doc(
          "step 3: keeps the fewest most probable tokens (of those step 2 kept, renormalised) "
          "whose probability reaches it; must be above 0; 1 turns it off"),
      param::number("min_p").fallback(0.0).range(0.0, 1.0).doc(
          "step 4: drops tokens below min_p times the top probability; must be below 1; 0 turns "
          "it off"),
  };
  return {describe_plugin<Temperature>(
      "temperature", "1.0",
      "Samples softmax(logits / temperature) filtered by top_k, top_p, min_p, in that order",
      std::move(schema))};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
