#pragma once

#include "stages/stage.h"

namespace forge {

// `stage: rl`: reinforcement learning on problems with answer keys. Samples G turns per problem
// through the engine (tools allowed), scores them with reward plugins and trains with a
// policy-gradient loss on group advantages (GRPO), or fine-tunes on the correct samples only
// (rejection sampling); evaluates held-out pass@1 and pass@k as it goes.
class FORGE_API RlStage : public Stage {
 public:
  std::string name() const override { return "rl"; }
  std::string summary() const override {
    return "reinforcement learning on problems with answer keys (GRPO, rejection sampling)";
  }
  Schema schema() const override;
  std::unique_ptr<StageJob> prepare(const Config& recipe, const Registry& plugins) const override;
};

}  // namespace forge
