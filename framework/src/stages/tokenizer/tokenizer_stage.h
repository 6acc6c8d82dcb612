#pragma once

#include "stages/stage.h"

namespace forge {

// `stage: tokenizer`: trains a byte-level BPE vocabulary on a dataset's documents, writes it
// as a .tiktoken file with its sidecar, and compares its compression on held-out text with
// OpenAI's encodings.
class FORGE_API TokenizerStage : public Stage {
 public:
  std::string name() const override { return "tokenizer"; }
  std::string summary() const override { return "train a byte-level BPE tokenizer"; }
  Schema schema() const override;
  std::unique_ptr<StageJob> prepare(const Config& recipe, const Registry& plugins) const override;
};

}  // namespace forge
