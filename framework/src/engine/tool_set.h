#pragma once

// The tools of a recipe's or the command line's `tools:` list,
//   tools: [{plugin: python, seconds: 5}, {plugin: calculator}]
// each made by its plugin and called by the plugin's name.

#include <forge/config.h>
#include <forge/node.h>
#include <forge/tool.h>

#include "engine/assistant_turn.h"
#include "plugin/registry.h"

#include <memory>
#include <string>
#include <vector>

namespace forge {

// A stage's schema entry for a tools list (an empty list by default).
FORGE_API Param tools_param(std::string key = "tools");

class FORGE_API ToolSet {
 public:
  ToolSet() = default;
  ToolSet(ToolSet&&) = default;
  ToolSet& operator=(ToolSet&&) = default;

  // From sections a stage's schema (tools_param) has validated.
  static ToolSet from_configs(const std::vector<Config>& sections, const Registry& plugins);
  // From a list node not validated yet, e.g. built from `forge chat --tool` options; `key`
  // names it in errors.
  static ToolSet from_node(const Node& list, Registry& plugins, const std::string& key = "tools");

  // Throws forge::Error when a tool of that name is already in the set.
  void add(const std::string& name, std::unique_ptr<Tool> tool, const std::string& where = {});
  const ToolMap& tools() const { return map_; }
  std::vector<std::string> names() const;

 private:
  std::vector<std::unique_ptr<Tool>> owned_;
  ToolMap map_;
};

}  // namespace forge
