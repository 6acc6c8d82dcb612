#include "plugin/registry.h"

#include <forge/error.h>
#include <forge/log.h>

#include "recipe/recipe.h"

#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/dll/shared_library.hpp>

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>

namespace forge {
namespace dll = boost::dll;

namespace {

// Boost.DLL clears dlerror() after a failure; ask the loader again for its own words.
std::string loader_message(const std::filesystem::path& file, const std::error_code& error) {
  ::dlerror();
  void* handle = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle) return error.message();
  const char* reason = ::dlerror();
  return reason ? reason : error.message();
}

}  // namespace

Registry& Registry::global() {
  static Registry registry;
  return registry;
}

std::vector<std::filesystem::path> Registry::default_search_paths() {
  std::vector<std::filesystem::path> paths;
  // bin/forge -> lib/forge/plugins, in the build tree and in an install alike.
  std::error_code error;
  auto exe = std::filesystem::path(dll::program_location(error).string());
  if (!error) {
    // The build tree uses lib/forge/plugins; an install may use a multiarch libdir.
    auto prefix = exe.parent_path().parent_path();
    paths.push_back(prefix / "lib" / "forge" / "plugins");
    auto installed = prefix / FORGE_PLUGIN_INSTALL_RELDIR;
    if (installed != paths.back()) paths.push_back(installed);
  }
  if (const char* extra = std::getenv("FORGE_PLUGIN_PATH")) {
    std::stringstream list(extra);
    for (std::string entry; std::getline(list, entry, ':');)
      if (!entry.empty()) paths.emplace_back(entry);
  }
  return paths;
}

void Registry::load_defaults() {
  if (defaults_loaded_) return;
  defaults_loaded_ = true;
  for (const auto& folder : default_search_paths()) load_folder(folder, false);
}

void Registry::load_folder(const std::filesystem::path& folder, bool required) {
  std::error_code error;
  if (!std::filesystem::is_directory(folder, error)) {
    if (required)
      throw Error(cat("plugin folder '", folder.string(),
                      "' does not exist; fix plugin_paths or FORGE_PLUGIN_PATH"));
    return;
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder))
    if (entry.path().extension() == ".so") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& file : files) load_library(file);
}

void Registry::load_library(const std::filesystem::path& file) {
  std::error_code error;
  auto canonical = std::filesystem::weakly_canonical(file, error);
  if (error) canonical = file;
  if (!loaded_files_.insert(canonical).second) return;

  // Never unloaded: kept alive for the life of the process on purpose.
  auto* library = new dll::shared_library();
  std::error_code load_error;
  library->load(canonical, dll::load_mode::rtld_now | dll::load_mode::rtld_local, load_error);
  if (load_error) {
    throw Error(cat("cannot load plugin library '", canonical.string(),
                    "': ", loader_message(canonical, load_error),
                    "; rebuild it against this Forge or remove it from the plugin path"));
  }
  for (const char* symbol : {"forge_plugin_api_version", "forge_plugin_list"}) {
    if (!library->has(symbol))
      throw Error(cat("plugin library '", canonical.string(), "' has no entry point '", symbol,
                      "'; export its plugins with FORGE_PLUGIN_LIBRARY(...)"));
  }
  int version = library->get_alias<PluginApiVersionFunction>("forge_plugin_api_version")();
  if (version != kPluginApiVersion)
    throw Error(cat("plugin library '", canonical.string(), "' was built for plugin API version ",
                    version, " but this forge ", kVersion, " provides version ", kPluginApiVersion,
                    "; rebuild the plugin against this SDK"));

  for (PluginInfo& info : library->get_alias<PluginListFunction>("forge_plugin_list")()) {
    info.library = canonical.string();
    auto key = std::make_pair(info.kind, info.name);
    if (auto existing = plugins_.find(key); existing != plugins_.end())
      throw Error(cat(kind_name(info.kind), " plugin '", info.name, "' is provided twice: by '",
                      existing->second.library, "' and by '", info.library,
                      "'; remove one of them from the plugin path"));
    if (!info.factory)
      throw Error(cat(kind_name(info.kind), " plugin '", info.name, "' in '", info.library,
                      "' has no factory; describe it with forge::describe_plugin<T>()"));
    plugins_.emplace(std::move(key), std::move(info));
  }
}

const PluginInfo* Registry::find(PluginKind kind, const std::string& name) const {
  auto it = plugins_.find({kind, name});
  return it == plugins_.end() ? nullptr : &it->second;
}

std::vector<std::string> Registry::names(PluginKind kind) const {
  std::vector<std::string> out;
  for (const auto& [key, info] : plugins_)
    if (key.first == kind) out.push_back(key.second);
  return out;
}

const PluginInfo& Registry::get(PluginKind kind, const std::string& name) const {
  if (const PluginInfo* info = find(kind, name)) return *info;
  auto known = names(kind);
  std::string message = cat("unknown ", kind_name(kind), " plugin '", name, "'");
  std::string best = closest_match(name, known);
  if (!best.empty()) {
    message += cat("; did you mean '", best, "'?");
  } else if (known.empty()) {
    message += cat(" (no ", kind_name(kind), " plugins are installed; check FORGE_PLUGIN_PATH)");
  } else {
    std::string list;
    for (const auto& item : known) list += (list.empty() ? "" : ", ") + item;
    message += cat(" (available: ", list, ")");
  }
  throw Error(message);
}

std::vector<const PluginInfo*> Registry::all() const {
  std::vector<const PluginInfo*> out;
  for (const auto& [key, info] : plugins_) out.push_back(&info);
  return out;
}

std::unique_ptr<Plugin> Registry::create_any(PluginKind kind, const Config& section) const {
  std::string name = section.string("plugin");
  const PluginInfo* info = find(kind, name);
  if (!info) section.fail("plugin", get(kind, name).name);  // get() throws the located reason
  std::unique_ptr<Plugin> made = info->factory(section);
  FORGE_CHECK(made, "factory of ", kind_name(kind), "/", name, " returned nothing");
  return made;
}

std::unique_ptr<Plugin> create_plugin(PluginKind kind, const Config& section) {
  Registry& registry = Registry::global();
  registry.load_defaults();
  return registry.create_any(kind, section);
}

}  // namespace forge
