#include "train/checkpoint_model.h"

#include <forge/config.h>

#include "io/checkpoint_file.h"
#include "recipe/recipe.h"

namespace forge {
namespace {

std::string string_attribute(const CheckpointReader& reader, const std::string& object,
                             const std::string& name) {
  auto value = reader.attribute(object, name);
  if (!value || !std::holds_alternative<std::string>(*value))
    throw Error(cat("checkpoint '", reader.file().string(), "' has no text attribute '", name,
                    "' on ", object, "; it was not written by a Forge trainer"));
  return std::get<std::string>(*value);
}

Node recipe_of(const CheckpointReader& reader) {
  return parse_yaml(string_attribute(reader, "/meta", "recipe"),
                    reader.file().string() + ":/meta/recipe");
}

}  // namespace

std::unique_ptr<Plugin> make_plugin_from(Node section, PluginKind kind, const std::string& key,
                                         const Registry& plugins) {
  Node root = Node::map();
  root.set(key, std::move(section));
  validate(root, Schema{param::plugin(key, kind).required()}, plugins);
  // Plugins read their Config while they are made and keep copies, never the Config itself.
  return plugins.create_any(kind, Config(*root.find(key), key));
}

LoadedModel load_model(const std::filesystem::path& checkpoint, Registry& plugins, Device device) {
  plugins.load_defaults();
  return load_model(checkpoint, static_cast<const Registry&>(plugins), device);
}

Node checkpoint_recipe(const std::filesystem::path& checkpoint) {
  return recipe_of(CheckpointReader(checkpoint));
}

const Node& checkpoint_model_section(const Node& recipe, const std::filesystem::path& checkpoint) {
  const Node* model_section = recipe.find("model");
  if (!model_section || !model_section->is_map())
    throw Error(cat("checkpoint '", checkpoint.string(), "' has a recipe without a model section"));
  return *model_section;
}

LoadedModel load_model(const std::filesystem::path& checkpoint, const Registry& plugins,
                       Device device, DType dtype) {
  LoadedModel loaded;
  std::string tokenizer_plugin, serialized;
  {
    CheckpointReader reader(checkpoint);
    loaded.recipe = recipe_of(reader);
    tokenizer_plugin = string_attribute(reader, "/tokenizer", "plugin");
    serialized = string_attribute(reader, "/tokenizer", "serialized");
  }
  loaded.tokenizer_plugin = tokenizer_plugin;
  const Node* model_section = &checkpoint_model_section(loaded.recipe, checkpoint);
  Node tokenizer = Node::map();
  tokenizer.set("plugin", Node::scalar(tokenizer_plugin, true));
  tokenizer.set("serialized", Node::scalar(serialized, true));
  loaded.tokenizer.reset(static_cast<Tokenizer*>(
      make_plugin_from(std::move(tokenizer), PluginKind::tokenizer, "tokenizer", plugins)
          .release()));
  if (const Node* name = model_section->find("plugin")) loaded.architecture = name->text();
  auto architecture = std::unique_ptr<Architecture>(static_cast<Architecture*>(
      make_plugin_from(*model_section, PluginKind::architecture, "model", plugins).release()));
  ModelRequest request;
  request.vocab_size = static_cast<std::int64_t>(loaded.tokenizer->vocab_size());
  request.device = device;
  request.dtype = dtype;
  loaded.model = architecture->build(request);
  loaded.position = load_checkpoint(checkpoint, *loaded.model, nullptr);
  return loaded;
}

}  // namespace forge
