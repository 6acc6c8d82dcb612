#pragma once

// Recipe sections that every training stage shares: train, eval, sample and checkpoint.

#include <forge/config.h>
#include <forge/plugin_kind.h>
#include <forge/schema.h>

#include "plugin/registry.h"
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

// The common keys read into `setup` (model and tokenizer already set): steps, batch shape,
// optimizer, schedule, eval, checkpoint; and the sampler when the recipe asks for samples.
void read_training_keys(const Config& recipe, const Registry& plugins, TrainSetup& setup,
                        std::vector<std::string>& labels);

// The `init:` checkpoint a fine-tuning stage starts from (errors located at `init`), and the
// labels of the plugins it was made with, for the new checkpoints' metadata.
LoadedModel read_init(const Config& recipe, const Registry& plugins, Device device);
std::vector<std::string> init_labels(const LoadedModel& init);
// New checkpoints' metadata for a stage that started from `init`; the recipe keeps init's model
// section, so that they rebuild alone as pretrain ones do.
CheckpointMeta init_meta(const Config& recipe, const LoadedModel& init, const std::string& stage,
                         std::vector<std::string> labels, std::uint64_t seed);

}  // namespace forge
