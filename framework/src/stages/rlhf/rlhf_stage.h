#pragma once

#include "stages/stage.h"

namespace forge {

// `stage: rlhf`: the rl stage's policy optimisation (GRPO-style groups, a KL penalty to the
// SFT reference, a step budget) against a learned reward model instead of answer checks. A
// held-out judge scores the same replies, and a monitor stops or flags the run when the reward
// model's score keeps rising while the judge's falls: reward hacking.
class FORGE_API RlhfStage : public Stage {
 public:
  std::string name() const override { return "rlhf"; }
  std::string summary() const override {
    return "RL against a learned reward model, watched for reward hacking by a held-out judge";
  }
  Schema schema() const override;
  std::unique_ptr<StageJob> prepare(const Config& recipe, const Registry& plugins) const override;
};

}  // namespace forge
