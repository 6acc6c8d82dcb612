#pragma once

#include "stages/stage.h"

namespace forge {

// `stage: tokenize`: documents -> token shards (train/ and val/), run by the data stage's
// executor with no filters, so it splits into tasks, resumes and spreads over ranks the same way.
class FORGE_API TokenizeStage : public Stage {
 public:
  std::string name() const override { return "tokenize"; }
  std::string summary() const override { return "encode documents into token shards for training"; }
  Schema schema() const override;
  std::unique_ptr<StageJob> prepare(const Config& recipe, const Registry& plugins) const override;
};

}  // namespace forge
