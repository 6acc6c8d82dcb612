#pragma once

// Recipe sections that every training stage shares: train, eval, sample and checkpoint.

#include <forge/config.h>
#include <forge/plugin_kind.h>
#include <forge/schema.h>

#include "plugin/registry.h"
#include "stages/model_contexts.h"
#include "stages/pretrain/train_setup.h"
#include "train/checkpoint_model.h"

#include <string>
#include <vector>

namespace forge {

// loss, optimizer, schedule, train, eval, sample and checkpoint.
std::vector<Param> training_params();
Schema train_schema();
Schema eval_schema();
Schema sample_keys();  // beside the sampler plugin's own keys
Schema checkpoint_schema();

// "kind/name version" of the plugin a section names, for checkpoints' metadata.
std::string plugin_label(const Registry& plugins, PluginKind kind, const Config& section);

// The parameters' dtype that `precision:` asks for (f32 or bf16); refuses bf16 where it is not
// built. Read before the model is made.
DType read_precision(const Config& recipe);

// The common keys read into `setup` (model, tokenizer and precision already set): steps, batch
// shape, optimizer, schedule, eval, checkpoint; and the sampler when the recipe asks for samples.
void read_training_keys(const Config& recipe, const Registry& plugins, TrainSetup& setup,
                        std::vector<std::string>& labels);

// `train.seq_len`, or the model's context when it is 0, checked against that context.
std::int64_t checked_seq_len(const Config& train, std::int64_t context);
// Micro-batches per rank and step for `train.batch_tokens`; fails unless it is a multiple of
// micro_batch * seq_len * world_size.
std::int64_t checked_accumulation(const Config& train, std::int64_t seq_len, int world_size);
// The same checks at validation, before a model is built, with the context `models` knows.
void cross_check_training_keys(const Config& recipe, const ModelContexts& models);

// The `init:` checkpoint a fine-tuning stage starts from (errors located at `init`), and the
// labels of the plugins it was made with, for the new checkpoints' metadata.
LoadedModel read_init(const Config& recipe, const Registry& plugins, Device device,
                      DType dtype = DType::f32);
std::vector<std::string> init_labels(const LoadedModel& init);
// New checkpoints' metadata for a stage that started from `init`; the recipe keeps init's model
// section, so that they rebuild alone as pretrain ones do.
CheckpointMeta init_meta(const Config& recipe, const LoadedModel& init, const std::string& stage,
                         std::vector<std::string> labels, std::uint64_t seed);

}  // namespace forge
