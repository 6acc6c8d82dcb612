#pragma once

#include <forge/config.h>
#include <forge/error.h>
#include <forge/export.h>
#include <forge/plugin_kind.h>
#include <forge/schema.h>
#include <forge/version.h>

#include <boost/dll/alias.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace forge {

// Base of every plugin object. A plugin object must not outlive the process: libraries are
// never unloaded, so this holds by construction.
class FORGE_API Plugin {
 public:
  virtual ~Plugin();
};

using PluginFactory = std::function<std::unique_ptr<Plugin>(const Config&)>;

// What a plugin library says about each plugin it provides.
struct FORGE_API PluginInfo {
  PluginKind kind = PluginKind::dataset;
  std::string name;
  std::string version;
  std::string summary;  // one line, shown by `forge plugins`
  Schema schema;
  PluginFactory factory;
  std::string library;  // filled in by the host: the file it came from
};

// Describes plugin class T (derived from one kind's interface, constructible from a Config).
template <class T>
PluginInfo describe_plugin(std::string name, std::string version, std::string summary,
                           Schema schema) {
  PluginInfo info;
  info.kind = T::kKind;
  info.name = std::move(name);
  info.version = std::move(version);
  info.summary = std::move(summary);
  info.schema = std::move(schema);
  info.factory = [](const Config& config) -> std::unique_ptr<Plugin> {
    return std::make_unique<T>(config);
  };
  return info;
}

// Makes the plugin a validated section names (`{plugin: NAME, ...}`), for plugins whose own
// parameters hold another plugin's section, e.g. a token writer's `tokenizer:`.
FORGE_API std::unique_ptr<Plugin> create_plugin(PluginKind kind, const Config& section);
template <class T>
std::unique_ptr<T> create_plugin(const Config& section) {
  return std::unique_ptr<T>(static_cast<T*>(create_plugin(T::kKind, section).release()));
}

using PluginListFunction = std::vector<PluginInfo>();
using PluginApiVersionFunction = int();

namespace detail {
inline int plugin_api_version() { return kPluginApiVersion; }
}  // namespace detail

}  // namespace forge

// Exports a library's plugins: `LIST` is a function returning std::vector<forge::PluginInfo>.
// Use it once per library. The host reads the API version before it calls anything else.
#define FORGE_PLUGIN_LIBRARY(LIST)                                               \
  BOOST_DLL_ALIAS(::forge::detail::plugin_api_version, forge_plugin_api_version) \
  BOOST_DLL_ALIAS(LIST, forge_plugin_list)
