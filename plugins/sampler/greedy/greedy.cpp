// Sampler `greedy`: the most likely token of every row, with no randomness.
#include <forge/error.h>
#include <forge/sampler.h>

#include <cmath>
#include <cstddef>

namespace forge {
namespace {

class Greedy : public Sampler {
 public:
  explicit Greedy(const Config&) {}

  void sample(std::span<const float> logits, std::size_t rows, std::size_t vocab, Generator&,
              std::span<TokenId> out) const override {
    FORGE_CHECK(vocab > 0 && logits.size() == rows * vocab && out.size() >= rows,
                "greedy: ", logits.size(), " logits for ", rows, " rows of ", vocab, ", ",
                out.size(), " outputs");
    for (std::size_t row = 0; row < rows; ++row) {
      const float* values = logits.data() + row * vocab;
      std::size_t best = 0;
      for (std::size_t id = 0; id < vocab; ++id) {
        if (!std::isfinite(values[id])) {
          throw Error(cat("[sampler greedy] row ", row, " has a non-finite logit (", values[id],
                          " at token ", id,
                          "); the model diverged: check the training run for a NaN loss or "
                          "sample from an earlier checkpoint"));
        }
        // Strictly greater, so ties keep the lowest id.
        if (values[id] > values[best]) best = id;
      }
      out[row] = static_cast<TokenId>(best);
    }
  }
};

std::vector<PluginInfo> plugins() {
  return {describe_plugin<Greedy>(
      "greedy", "1.0", "Picks each row's highest logit (lowest id on ties); no draws", Schema{})};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
