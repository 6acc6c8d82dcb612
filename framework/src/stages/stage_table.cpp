#include "stages/assistant_eval/assistant_eval_stage.h"
#include "stages/data/data_stage.h"
#include "stages/knowledge_probe/knowledge_probe_stage.h"
#include "stages/pipeline/pipeline_stage.h"
#include "stages/pretrain/pretrain_stage.h"
#include "stages/rankings/rankings_stage.h"
#include "stages/reward_model/reward_model_stage.h"
#include "stages/rl/rl_stage.h"
#include "stages/rlhf/rlhf_stage.h"
#include "stages/sft/sft_stage.h"
#include "stages/stage.h"
#include "stages/tokenize/tokenize_stage.h"
#include "stages/tokenizer/tokenizer_stage.h"

namespace forge {

StageJob::~StageJob() = default;
Stage::~Stage() = default;

std::vector<const Stage*> all_stages() {
  static const DataStage data;
  static const TokenizeStage tokenize;
  static const PretrainStage pretrain;
  static const TokenizerStage tokenizer;
  static const SftStage sft;
  static const AssistantEvalStage assistant_eval;
  static const KnowledgeProbeStage knowledge_probe;
  static const RlStage rl;
  static const RankingsStage rankings;
  static const RewardModelStage reward_model;
  static const RlhfStage rlhf;
  static const PipelineStage pipeline;
  return {&data, &tokenizer, &tokenize,     &pretrain, &sft,     &assistant_eval, &knowledge_probe,
          &rl,   &rankings,  &reward_model, &rlhf,     &pipeline};
}

const Stage* find_stage(const std::string& name) {
  for (const Stage* stage : all_stages())
    if (stage->name() == name) return stage;
  return nullptr;
}

Schema recipe_schema(const Stage& stage) {
  Schema schema{
      param::string("stage").required().doc("which stage runs the recipe"),
      param::string("name").doc("the run's name; defaults to the recipe file's name"),
      param::string("description").doc("free text kept with the run"),
      param::integer("seed").fallback(1337).doc("seed for every random choice of the run"),
      param::string("device")
          .fallback("auto")
          .one_of({"cpu", "cuda", "auto"})
          .doc("where compute runs; auto picks cuda when a GPU is visible"),
      param::string_list("plugin_paths")
          .fallback(std::vector<std::string>{})
          .doc("extra folders to load plugin libraries from"),
  };
  for (Param& param : stage.schema().params) schema.add(std::move(param));
  return schema;
}

}  // namespace forge
