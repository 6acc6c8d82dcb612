#include "stages/resolve.h"

#include <forge/config.h>
#include <forge/error.h>

#include "recipe/recipe.h"

namespace forge {
namespace {

std::string stage_list() {
  std::string list;
  for (const Stage* stage : all_stages()) list += (list.empty() ? "" : ", ") + stage->name();
  return list;
}

std::string located(const Location& where, const std::string& message) {
  std::string prefix = where.str();
  return prefix.empty() ? message : prefix + ": " + message;
}

const Stage& stage_of(const Node& root) {
  const Node* value = root.find("stage");
  if (!value || value->is_null())
    throw Error(located(root.location(),
                        cat("stage: missing required key 'stage' (one of: ", stage_list(), ")")));
  if (!value->is_scalar())
    throw Error(
        located(value->location(), cat("stage: expected a stage name, found ", value->describe())));
  if (const Stage* stage = find_stage(value->text())) return *stage;
  std::vector<std::string> names;
  for (const Stage* stage : all_stages()) names.push_back(stage->name());
  std::string best = closest_match(value->text(), names);
  throw Error(
      located(value->location(), cat("stage: unknown stage '", value->text(), "'",
                                     best.empty() ? cat(" (known stages: ", stage_list(), ")")
                                                  : cat("; did you mean '", best, "'?"))));
}

// plugin_paths must be read before validation, which needs the plugins it names.
void load_recipe_plugin_paths(const Node& root, Registry& plugins) {
  const Node* paths = root.find("plugin_paths");
  if (!paths || paths->is_null()) return;
  std::vector<const Node*> items;
  if (paths->is_scalar()) items.push_back(paths);
  if (paths->is_sequence())
    for (const Node& item : paths->items()) items.push_back(&item);
  for (const Node* item : items) {
    if (!item->is_scalar())
      throw Error(located(item->location(),
                          cat("plugin_paths: expected a folder, found ", item->describe())));
    try {
      plugins.load_folder(item->text(), true);
    } catch (const Error& e) {
      throw Error(located(item->location(), cat("plugin_paths: ", e.what())));
    }
  }
}

}  // namespace

ResolvedRecipe resolve_tree(Node root, const std::string& default_name, Registry& plugins,
                            const ModelContexts* planned) {
  if (!root.is_map())
    throw Error(located(root.location(),
                        cat("expected a mapping of recipe keys, found ", root.describe())));
  plugins.load_defaults();
  const Stage& stage = stage_of(root);
  load_recipe_plugin_paths(root, plugins);
  const Node* name = root.find("name");
  if (!name || name->is_null()) root.set("name", Node::scalar(default_name, true));
  stage.expand(root);
  validate(root, recipe_schema(stage), plugins);
  ResolvedRecipe resolved{std::move(root), &stage, {}};
  resolved.name = resolved.root.find("name")->text();
  if (resolved.name.empty() || resolved.name.find('/') != std::string::npos ||
      resolved.name == "." || resolved.name == "..")
    throw Error(located(resolved.root.find("name")->location(),
                        cat("name: '", resolved.name,
                            "' can't name a run folder; use letters, digits, '-' and '_'")));
  const ModelContexts on_disk(plugins);
  stage.cross_check(Config(resolved.root, ""), planned ? *planned : on_disk);
  stage.validate_nested(resolved.root, plugins);
  return resolved;
}

std::vector<std::string> deferred_keys_of(const Node& root) {
  const Node* value = root.is_map() ? root.find("stage") : nullptr;
  const Stage* stage = value && value->is_scalar() ? find_stage(value->text()) : nullptr;
  return stage ? stage->deferred_keys() : std::vector<std::string>{};
}

std::string resolved_yaml(const ResolvedRecipe& recipe) {
  return emit_yaml(recipe.root, recipe.stage->deferred_keys());
}

ResolvedRecipe resolve_recipe(const std::filesystem::path& file,
                              const std::vector<std::string>& overrides, Registry& plugins) {
  Node root = load_recipe(file);
  apply_overrides(root, overrides);
  interpolate(root, deferred_keys_of(root));
  return resolve_tree(std::move(root), file.stem().string(), plugins);
}

}  // namespace forge
