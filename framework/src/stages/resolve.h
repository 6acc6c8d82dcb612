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

// Validates an already merged tree (a run's recipe.yaml, for resume).
FORGE_API ResolvedRecipe resolve_tree(Node root, const std::string& default_name,
                                      Registry& plugins);

}  // namespace forge
