#include "stages/pipeline/pipeline_stage.h"

#include "stages/pipeline/pipeline_job.h"
#include "stages/pipeline/pipeline_recipes.h"

namespace forge {

Schema PipelineStage::schema() const {
  return {
      param::any("stages").required().doc(
          "the stages in order, each {name, recipe: FILE and/or stage:, the stage's keys}"),
  };
}

void PipelineStage::expand(Node& root) const { inline_stage_recipes(root); }

// The run folder does not exist yet; a stage's paths are only read once it starts.
void PipelineStage::validate_nested(const Node& root, Registry& plugins) const {
  resolve_stages(root, "<pipeline run>", plugins);
}

std::unique_ptr<StageJob> PipelineStage::prepare(const Config& recipe,
                                                 const Registry& /*plugins*/) const {
  return make_pipeline_job(recipe.node());
}

}  // namespace forge
