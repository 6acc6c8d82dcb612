#pragma once

#include "stages/stage.h"

namespace forge {

// `stage: assistant_eval`: a checkpoint answers held-out conversations through the engine,
// tools included; each reply is scored for form (the turn ended with <|im_end|>), tool use and
// correctness against the conversation's own final reply.
class FORGE_API AssistantEvalStage : public Stage {
 public:
  std::string name() const override { return "assistant_eval"; }
  std::string summary() const override {
    return "score a chat checkpoint's replies (form, tool use, correctness) on held-out chats";
  }
  Schema schema() const override;
  std::unique_ptr<StageJob> prepare(const Config& recipe, const Registry& plugins) const override;
  void cross_check(const Config& recipe, const ModelContexts& models) const override;
};

}  // namespace forge
