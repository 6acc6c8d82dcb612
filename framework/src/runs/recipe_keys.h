#pragma once

// A recipe as key paths ("optimizer.lr" -> "3e-3"), and the keys in which runs differ.

#include <forge/export.h>
#include <forge/node.h>

#include <map>
#include <string>
#include <vector>

namespace forge {

// Key path -> value text. Lists of scalars stay one value ("[0.9, 0.95]"); lists of mappings
// become key[0].sub. Sorted by key path.
using FlatRecipe = std::map<std::string, std::string>;

FORGE_API FlatRecipe flatten_recipe(const Node& root);
// Parses recipe.yaml's text; an empty text is an empty recipe.
FORGE_API FlatRecipe flatten_recipe_text(const std::string& yaml, const std::string& file);

// The key paths whose values are not the same in every recipe (missing counts as a value).
// `ignored` keys never count (a run's name differs by design).
FORGE_API std::vector<std::string> differing_keys(const std::vector<FlatRecipe>& recipes,
                                                  const std::vector<std::string>& ignored = {});

}  // namespace forge
