#pragma once

// A model rebuilt from a checkpoint file alone: its recipe's model section, its tokenizer's
// serialized form and its parameters. What `forge sample` and fine-tuning stages start from.

#include <forge/architecture.h>
#include <forge/node.h>
#include <forge/tokenizer.h>

#include "plugin/registry.h"
#include "train/train_checkpoint.h"

#include <filesystem>
#include <memory>

namespace forge {

struct LoadedModel {
  std::unique_ptr<Tokenizer> tokenizer;
  std::unique_ptr<Model> model;
  Node recipe;  // the resolved recipe the checkpoint was trained with
  std::string tokenizer_plugin, architecture;  // the plugins' names
  TrainPosition position;
};

FORGE_API LoadedModel load_model(const std::filesystem::path& checkpoint, Registry& plugins,
                                 Device device);
// The same with a registry whose plugins are loaded already (a stage's); `dtype` is the
// parameters' (the stored f32 weights are rounded into bf16 ones).
FORGE_API LoadedModel load_model(const std::filesystem::path& checkpoint, const Registry& plugins,
                                 Device device, DType dtype = DType::f32);

// The resolved recipe a checkpoint was trained with, read without its tensors; and that
// recipe's model section (an error naming the file when it has none).
FORGE_API Node checkpoint_recipe(const std::filesystem::path& checkpoint);
FORGE_API const Node& checkpoint_model_section(const Node& recipe,
                                               const std::filesystem::path& checkpoint);

// Validates a plugin section `{plugin: NAME, ...}` given as a Node, as the recipe key `key`
// would be, and makes the plugin.
FORGE_API std::unique_ptr<Plugin> make_plugin_from(Node section, PluginKind kind,
                                                   const std::string& key, const Registry& plugins);

}  // namespace forge
