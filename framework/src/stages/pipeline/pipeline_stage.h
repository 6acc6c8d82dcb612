#pragma once

#include "stages/stage.h"

namespace forge {

// `stage: pipeline`: stage recipes run one after another in folders of the pipeline's run,
// passing artifacts by name (${stages.pretrain.checkpoint}). Every stage is validated before
// the first starts; a resumed pipeline skips the stages already complete.
class FORGE_API PipelineStage : public Stage {
 public:
  std::string name() const override { return "pipeline"; }
  std::string summary() const override {
    return "run stage recipes in order, passing artifacts by name";
  }
  Schema schema() const override;
  std::unique_ptr<StageJob> prepare(const Config& recipe, const Registry& plugins) const override;
  std::vector<std::string> deferred_keys() const override { return {"stages"}; }
  void expand(Node& root) const override;
  void validate_nested(const Node& root, Registry& plugins) const override;
};

}  // namespace forge
