#pragma once

#include <forge/plugin.h>

#include <string>
#include <vector>

namespace forge {

// What recipe validation needs to know about the available plugins.
class FORGE_API PluginCatalog {
 public:
  virtual ~PluginCatalog() = default;
  // nullptr when no plugin of that kind has that name.
  virtual const PluginInfo* find(PluginKind kind, const std::string& name) const = 0;
  virtual std::vector<std::string> names(PluginKind kind) const = 0;
};

}  // namespace forge
