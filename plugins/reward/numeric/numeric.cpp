// Reward `numeric`: 1 when the reply's final answer is a number within a tolerance of the
// answer key's, |got - want| <= abs_tol + rel_tol * |want|; 0 otherwise or when either is no
// number.
#include <forge/answer.h>
#include <forge/reward.h>

#include "../answer_sources.h"

#include <cmath>

namespace forge {
namespace {

class Numeric : public Reward {
 public:
  explicit Numeric(const Config& config)
      : sources_(rewards::sources_from(config)),
        abs_tol_(config.number("abs_tol")),
        rel_tol_(config.number("rel_tol")) {}

  RewardScore score(const RewardInput& input) const override {
    std::optional<ExtractedAnswer> found = extract_answer(input.reply, sources_);
    std::optional<double> want = parse_number(input.answer);
    std::optional<double> got = found ? parse_number(found->text) : std::nullopt;
    const bool right =
        got && want && std::fabs(*got - *want) <= abs_tol_ + rel_tol_ * std::fabs(*want);
    return {right ? 1.0 : 0.0, right};
  }

 private:
  std::vector<AnswerSource> sources_;
  double abs_tol_, rel_tol_;
};

std::vector<PluginInfo> plugins() {
  return {describe_plugin<Numeric>(
      "numeric", "1.0", "1 when the final answer is a number within a tolerance of the key's",
      Schema{
          rewards::sources_param(),
          param::number("abs_tol").fallback(1e-6).at_least(0).doc("absolute tolerance"),
          param::number("rel_tol").fallback(0.0).at_least(0).doc(
              "relative tolerance, a fraction of the key's magnitude"),
      })};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
