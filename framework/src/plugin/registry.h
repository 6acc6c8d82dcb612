#pragma once

#include <forge/plugin.h>

#include "plugin/catalog.h"

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace forge {

// Finds, loads and indexes plugin libraries. Libraries are never unloaded: a plugin object
// can't outlive the code that made it.
class FORGE_API Registry : public PluginCatalog {
 public:
  // The process-wide registry, with the default search folders (see default_search_paths()).
  static Registry& global();

  // The build's or install's lib/forge/plugins next to the running executable, then each entry
  // of FORGE_PLUGIN_PATH.
  static std::vector<std::filesystem::path> default_search_paths();

  // Loads every forge-*.so (or any *.so) in `folder` not loaded yet. A missing folder is an
  // error when `required` (a recipe's plugin_paths), ignored otherwise.
  void load_folder(const std::filesystem::path& folder, bool required = false);
  // Loads one library; throws forge::Error for a load failure, a missing entry point, an API
  // version mismatch or a plugin already provided by another file (both files named).
  void load_library(const std::filesystem::path& file);
  // Loads the default folders once.
  void load_defaults();

  const PluginInfo* find(PluginKind kind, const std::string& name) const override;
  std::vector<std::string> names(PluginKind kind) const override;
  // Throws "unknown filter plugin 'lenght'; did you mean 'length'?" style errors.
  const PluginInfo& get(PluginKind kind, const std::string& name) const;
  std::vector<const PluginInfo*> all() const;

  // Makes a plugin from a validated section (a mapping with `plugin:`), typed by interface.
  template <class T>
  std::unique_ptr<T> create(const Config& section) const {
    std::unique_ptr<Plugin> made = create_any(T::kKind, section);
    return std::unique_ptr<T>(static_cast<T*>(made.release()));
  }
  std::unique_ptr<Plugin> create_any(PluginKind kind, const Config& section) const;

 private:
  std::map<std::pair<PluginKind, std::string>, PluginInfo> plugins_;
  std::set<std::filesystem::path> loaded_files_;
  bool defaults_loaded_ = false;
};

}  // namespace forge
