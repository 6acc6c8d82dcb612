#pragma once

#include "stages/stage.h"

namespace forge {

// `stage: reward_model`: a transformer from an SFT checkpoint with a scalar head, trained on
// rankings of candidate replies with the Bradley-Terry loss over all pairs of each ranking;
// reports held-out pairwise accuracy as it goes.
class FORGE_API RewardModelStage : public Stage {
 public:
  std::string name() const override { return "reward_model"; }
  std::string summary() const override {
    return "a reward model from rankings (Bradley-Terry over each ranking's pairs)";
  }
  Schema schema() const override;
  std::unique_ptr<StageJob> prepare(const Config& recipe, const Registry& plugins) const override;
};

}  // namespace forge
