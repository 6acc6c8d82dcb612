#pragma once

#include <forge/export.h>
#include <forge/node.h>

#include "plugin/registry.h"
#include "stages/stage.h"

#include <filesystem>
#include <string>
#include <vector>

namespace forge {

// A recipe after base merging, overrides, interpolation and validation, with defaults filled.
struct ResolvedRecipe {
  Node root;
  const Stage* stage = nullptr;
  std::string name;
};

// The whole front end of `forge run` and `forge validate`: nothing has started working yet.
// Loads the default plugin folders and the recipe's plugin_paths into `plugins`.
FORGE_API ResolvedRecipe resolve_recipe(const std::filesystem::path& file,
                                        const std::vector<std::string>& overrides,
                                        Registry& plugins);

// Validates an already merged and interpolated tree (a run's recipe.yaml, for resume): the
// stage's expand() hook runs before the schema check, cross_check() and validate_nested()
// after. `planned` knows the checkpoints earlier stages of a pipeline will write.
FORGE_API ResolvedRecipe resolve_tree(Node root, const std::string& default_name, Registry& plugins,
                                      const ModelContexts* planned = nullptr);

// The keys interpolation must leave alone in a loaded tree: its stage's deferred_keys(), none
// when `stage:` names no known stage (resolve_tree reports that).
FORGE_API std::vector<std::string> deferred_keys_of(const Node& root);

// The text of a run's recipe.yaml (and of `forge validate`): deferred keys written as they are.
FORGE_API std::string resolved_yaml(const ResolvedRecipe& recipe);

}  // namespace forge
