#include "runs/recipe_keys.h"

#include "recipe/recipe.h"

#include <algorithm>
#include <set>

namespace forge {
namespace {

std::string flow_text(const Node& node) {
  if (node.is_null()) return "null";
  if (node.is_scalar()) return node.text();
  std::string out = node.is_sequence() ? "[" : "{";
  bool first = true;
  if (node.is_sequence())
    for (const Node& item : node.items()) {
      out += (first ? "" : ", ") + flow_text(item);
      first = false;
    }
  else
    for (const Node::Entry& entry : node.entries()) {
      out += (first ? "" : ", ") + entry.key + ": " + flow_text(entry.value);
      first = false;
    }
  return out + (node.is_sequence() ? "]" : "}");
}

bool holds_maps(const Node& sequence) {
  return std::any_of(sequence.items().begin(), sequence.items().end(),
                     [](const Node& item) { return item.is_map(); });
}

void flatten(const Node& node, const std::string& path, FlatRecipe& out) {
  if (node.is_map() && !node.entries().empty()) {
    for (const Node::Entry& entry : node.entries())
      flatten(entry.value, path.empty() ? entry.key : path + "." + entry.key, out);
  } else if (node.is_sequence() && holds_maps(node)) {
    for (std::size_t i = 0; i < node.items().size(); ++i)
      flatten(node.items()[i], path + "[" + std::to_string(i) + "]", out);
  } else if (!path.empty()) {
    out[path] = flow_text(node);
  }
}

}  // namespace

FlatRecipe flatten_recipe(const Node& root) {
  FlatRecipe out;
  flatten(root, "", out);
  return out;
}

FlatRecipe flatten_recipe_text(const std::string& yaml, const std::string& file) {
  if (yaml.empty()) return {};
  return flatten_recipe(parse_yaml(yaml, file));
}

std::vector<std::string> differing_keys(const std::vector<FlatRecipe>& recipes,
                                        const std::vector<std::string>& ignored) {
  std::set<std::string> keys;
  for (const FlatRecipe& recipe : recipes)
    for (const auto& [key, value] : recipe) keys.insert(key);
  std::vector<std::string> out;
  for (const std::string& key : keys) {
    if (std::find(ignored.begin(), ignored.end(), key) != ignored.end()) continue;
    const std::string kMissing = "\x01";
    auto value_of = [&](const FlatRecipe& recipe) {
      auto found = recipe.find(key);
      return found == recipe.end() ? kMissing : found->second;
    };
    for (const FlatRecipe& recipe : recipes)
      if (value_of(recipe) != value_of(recipes.front())) {
        out.push_back(key);
        break;
      }
  }
  return out;
}

}  // namespace forge
