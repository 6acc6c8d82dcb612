#pragma once

#include "stages/stage.h"

namespace forge {

// `stage: rankings`: the data of RLHF. Each prompt (data.train, data.test) is answered K times
// by the `init` checkpoint; a hidden scorer (reward plugins, weighted) scores the responses,
// seeded Gaussian noise stands for labellers' disagreement, and the responses are ranked best
// to worst into rankings/train.jsonl and rankings/test.jsonl, read by the `rankings` dataset.
class FORGE_API RankingsStage : public Stage {
 public:
  std::string name() const override { return "rankings"; }
  std::string summary() const override {
    return "sample K responses per prompt from a checkpoint, score and rank them into JSONL";
  }
  Schema schema() const override;
  std::unique_ptr<StageJob> prepare(const Config& recipe, const Registry& plugins) const override;
};

}  // namespace forge
