#include "stages/rl/reward_set.h"

namespace forge {

Param rewards_param(std::string key) {
  return param::plugin_list(std::move(key), PluginKind::reward)
      .with_keys(Schema{param::number("weight").fallback(1.0).doc(
          "this reward's weight in the sum (negative weights penalise)")})
      .required()
      .doc("reward plugins scoring each sample; the sample's reward is their weighted sum");
}

RewardSet RewardSet::from_configs(const std::vector<Config>& sections, const Registry& plugins) {
  RewardSet set;
  for (std::size_t i = 0; i < sections.size(); ++i)
    set.add(sections[i].string("plugin"), plugins.create<Reward>(sections[i]),
            sections[i].number("weight"));
  return set;
}

void RewardSet::add(std::string label, std::unique_ptr<Reward> reward, double weight) {
  labels_.push_back(std::move(label));
  rewards_.push_back(std::move(reward));
  weights_.push_back(weight);
}

RewardTotal RewardSet::score(const RewardInput& input) const {
  RewardTotal total;
  for (std::size_t i = 0; i < rewards_.size(); ++i) {
    RewardScore score = rewards_[i]->score(input);
    total.parts.push_back(score.value);
    total.value += weights_[i] * score.value;
    if (score.correct) total.correct = total.correct.value_or(true) && *score.correct;
  }
  return total;
}

}  // namespace forge
