#include "engine/tool_set.h"

#include "recipe/recipe.h"

namespace forge {

Param tools_param(std::string key) {
  return param::plugin_list(std::move(key), PluginKind::tool)
      .fallback_yaml(Node::sequence())
      .doc("tools the model may call: [{plugin: calculator}, {plugin: python}, ...]");
}

ToolSet ToolSet::from_configs(const std::vector<Config>& sections, const Registry& plugins) {
  ToolSet set;
  for (const Config& section : sections)
    set.add(section.string("plugin"), plugins.create<Tool>(section), section.path());
  return set;
}

ToolSet ToolSet::from_node(const Node& list, Registry& plugins, const std::string& key) {
  plugins.load_defaults();
  Node root = Node::map();
  root.set(key, list);
  validate(root, Schema{param::plugin_list(key, PluginKind::tool).required()}, plugins);
  // Plugins read their Config while they are made and keep copies, never the Config itself.
  return from_configs(Config(root, "").sections(key), plugins);
}

void ToolSet::add(const std::string& name, std::unique_ptr<Tool> tool, const std::string& where) {
  if (map_.count(name))
    throw Error(cat(where.empty() ? "" : where + ": ", "the tool '", name,
                    "' is listed twice; list each tool once"));
  map_[name] = tool.get();
  owned_.push_back(std::move(tool));
}

std::vector<std::string> ToolSet::names() const {
  std::vector<std::string> out;
  for (const auto& [name, tool] : map_) out.push_back(name);
  return out;
}

}  // namespace forge
