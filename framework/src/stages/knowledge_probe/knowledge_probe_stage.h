#pragma once

#include "stages/stage.h"

namespace forge {

// `stage: knowledge_probe`: finds what a model does not know. Each question (a conversation
// whose metadata.answer is the short answer) is sampled k times; a question answered right
// fewer than `known_when` times becomes a conversation whose reply says "I don't know", the
// others keep their answer. conversations.jsonl is ready for the sft stage.
class FORGE_API KnowledgeProbeStage : public Stage {
 public:
  std::string name() const override { return "knowledge_probe"; }
  std::string summary() const override {
    return "sample a checkpoint on questions; write 'I don't know' chats for what it gets wrong";
  }
  Schema schema() const override;
  std::unique_ptr<StageJob> prepare(const Config& recipe, const Registry& plugins) const override;
};

}  // namespace forge
