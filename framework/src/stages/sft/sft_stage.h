#pragma once

#include "stages/stage.h"

namespace forge {

// `stage: sft`: supervised fine-tuning. Starts from a checkpoint (model and tokenizer), trains
// on conversations rendered through the chat template with the loss on what the assistant
// writes only, packed into windows whose documents never see each other.
class FORGE_API SftStage : public Stage {
 public:
  std::string name() const override { return "sft"; }
  std::string summary() const override {
    return "fine-tune a checkpoint on conversations (loss on the assistant's turns)";
  }
  Schema schema() const override;
  std::unique_ptr<StageJob> prepare(const Config& recipe, const Registry& plugins) const override;
  void cross_check(const Config& recipe, const ModelContexts& models) const override;
};

}  // namespace forge
