#pragma once

// A recipe's `rewards:` list, each reward plugin with a weight:
//   rewards: [{plugin: exact_answer, weight: 1}, {plugin: format, weight: 0.1}]
// A sample's reward is the weighted sum; it is correct when every reward that checks an answer
// says so.

#include <forge/config.h>
#include <forge/reward.h>
#include <forge/schema.h>

#include "plugin/registry.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace forge {

// The stage's schema entry for the list (required, each item with `weight`, 1 by default).
FORGE_API Param rewards_param(std::string key = "rewards");

struct RewardTotal {
  double value = 0;             // sum of weight * score
  std::optional<bool> correct;  // nullopt when no reward checks an answer
  std::vector<double> parts;    // each reward's own score, in the list's order
};

class FORGE_API RewardSet {
 public:
  static RewardSet from_configs(const std::vector<Config>& sections, const Registry& plugins);
  void add(std::string label, std::unique_ptr<Reward> reward, double weight);

  RewardTotal score(const RewardInput& input) const;
  const std::vector<std::string>& labels() const { return labels_; }

 private:
  std::vector<std::unique_ptr<Reward>> rewards_;
  std::vector<double> weights_;
  std::vector<std::string> labels_;
};

}  // namespace forge
