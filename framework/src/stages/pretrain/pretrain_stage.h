#pragma once

#include "stages/stage.h"

namespace forge {

// `stage: pretrain`: next-token training of an architecture plugin's model on token windows,
// with evaluation, samples and resumable checkpoints.
class FORGE_API PretrainStage : public Stage {
 public:
  std::string name() const override { return "pretrain"; }
  std::string summary() const override { return "train a transformer on next-token prediction"; }
  Schema schema() const override;
  std::unique_ptr<StageJob> prepare(const Config& recipe, const Registry& plugins) const override;
  void cross_check(const Config& recipe, const ModelContexts& models) const override;
};

}  // namespace forge
