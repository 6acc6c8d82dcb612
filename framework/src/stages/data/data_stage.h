#pragma once

#include "stages/stage.h"

namespace forge {

// `stage: data`: reader -> ordered steps -> writer, one task per input shard on a thread pool.
// Finished tasks leave a marker under tasks/, so `forge resume` skips them.
class FORGE_API DataStage : public Stage {
 public:
  std::string name() const override { return "data"; }
  std::string summary() const override {
    return "curate documents: read, filter and rewrite, write";
  }
  Schema schema() const override;
  std::unique_ptr<StageJob> prepare(const Config& recipe, const Registry& plugins) const override;
};

}  // namespace forge
