// Reward `exact_answer`: 1 when the reply's final answer equals the answer key once both are
// normalised (forge/answer.h), 0 otherwise.
#include <forge/answer.h>
#include <forge/reward.h>

#include "../answer_sources.h"

namespace forge {
namespace {

class ExactAnswer : public Reward {
 public:
  explicit ExactAnswer(const Config& config) : sources_(rewards::sources_from(config)) {}

  RewardScore score(const RewardInput& input) const override {
    std::optional<ExtractedAnswer> found = extract_answer(input.reply, sources_);
    const bool right = found && answers_equal(found->text, input.answer);
    return {right ? 1.0 : 0.0, right};
  }

 private:
  std::vector<AnswerSource> sources_;
};

std::vector<PluginInfo> plugins() {
  return {describe_plugin<ExactAnswer>(
      "exact_answer", "1.0",
      "1 when the final answer (\\boxed{}, after ####, or the last number) equals the key",
      Schema{rewards::sources_param()})};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
