#include <forge/error.h>

#include "recipe/check_value.h"
#include "recipe/key_path.h"
#include "recipe/recipe.h"
#include "recipe/tree.h"

namespace forge {
namespace {

constexpr std::string_view kPluginKey = "plugin";

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out.empty() ? "none" : out;
}

class Validator {
 public:
  explicit Validator(const PluginCatalog& plugins) : plugins_(plugins) {}

  void mapping(Node& node, const Schema& schema, const std::string& path, bool plugin_section) {
    for (const Param& param : schema.params) {
      const Node* value = node.find(param.name);
      if (param.is_required && !param.default_value && (!value || value->is_null()))
        problem(node.location(), path, cat("missing required key '", param.name, "'"));
    }
    for (auto& entry : node.entries()) {
      std::string key_path = child_path(path, entry.key);
      if (plugin_section && entry.key == kPluginKey) continue;
      const Param* param = schema.find(entry.key);
      if (!param) {
        unknown_key(entry, schema, key_path, plugin_section);
        continue;
      }
      if (!entry.value.is_null()) value(entry.value, *param, key_path);
    }
    for (const Param& param : schema.params) {
      if (!param.default_value) continue;
      const Node* present = node.find(param.name);
      if (present && !present->is_null()) continue;
      Node fallback = *param.default_value;
      relocate(fallback, node.location());
      Node& stored =
          node.set(param.name, std::move(fallback), present ? Location{} : node.location());
      value(stored, param, child_path(path, param.name));
    }
  }

  std::vector<std::string> problems;

 private:
  void problem(const Location& where, const std::string& path, const std::string& what) {
    std::string at = where.str();
    problems.push_back(cat(at.empty() ? "" : at + ": ", path.empty() ? "" : path + ": ", what));
  }

  void unknown_key(const Node::Entry& entry, const Schema& schema, const std::string& key_path,
                   bool plugin_section) {
    std::vector<std::string> known = schema.names();
    if (plugin_section) known.insert(known.begin(), std::string(kPluginKey));
    std::string close = closest_match(entry.key, known);
    problem(entry.key_location, key_path,
            close.empty() ? cat("unknown key '", entry.key, "' (known keys: ", joined(known), ")")
                          : cat("unknown key '", entry.key, "'; did you mean '", close, "'?"));
  }

  void value(Node& node, const Param& param, const std::string& path) {
    switch (param.type) {
      case ParamType::string:
      case ParamType::integer:
      case ParamType::number:
      case ParamType::boolean:
        if (auto wrong = check_scalar(node, param, param.type))
          problem(node.location(), path, *wrong);
        return;
      case ParamType::string_list:
        if (node.is_scalar()) return scalar_item(node, param, ParamType::string, path);
        return list(node, param, ParamType::string, path, "a list of strings");
      case ParamType::number_list:
        return list(node, param, ParamType::number, path, "a list of numbers");
      case ParamType::section:
        if (!node.is_map())
          return problem(node.location(), path, cat("expected a mapping, found ", node.describe()));
        return mapping(node, param.fields ? *param.fields : Schema{}, path, false);
      case ParamType::plugin:
        return plugin(node, param.plugin_kind, path, param.fields.get());
      case ParamType::plugin_list:
        if (!node.is_sequence())
          return problem(node.location(), path,
                         cat("expected a list of ", kind_name(param.plugin_kind),
                             " plugin sections, found ", node.describe()));
        for (std::size_t i = 0; i < node.items().size(); ++i)
          plugin(node.items()[i], param.plugin_kind, item_path(path, i), param.fields.get());
        return;
      case ParamType::any:
        return;
    }
  }

  void scalar_item(const Node& node, const Param& param, ParamType type, const std::string& path) {
    if (auto wrong = check_scalar(node, param, type)) problem(node.location(), path, *wrong);
  }

  void list(const Node& node, const Param& param, ParamType type, const std::string& path,
            std::string_view expected) {
    if (!node.is_sequence())
      return problem(node.location(), path,
                     cat("expected ", expected, ", found ", node.describe()));
    for (std::size_t i = 0; i < node.items().size(); ++i)
      scalar_item(node.items()[i], param, type, item_path(path, i));
  }

  void plugin(Node& node, PluginKind kind, const std::string& path,
              const Schema* stage_keys = nullptr) {
    if (!node.is_map())
      return problem(node.location(), path,
                     cat("expected a mapping with 'plugin:' naming a ", kind_name(kind),
                         " plugin, found ", node.describe()));
    const Node* name = node.find(kPluginKey);
    if (!name || name->is_null())
      return problem(node.location(), path,
                     cat("missing required key 'plugin' (", kind_name(kind),
                         " plugins: ", joined(plugins_.names(kind)), ")"));
    std::string name_path = child_path(path, kPluginKey);
    if (!name->is_scalar())
      return problem(name->location(), name_path,
                     cat("expected a ", kind_name(kind), " plugin name, found ", name->describe()));
    const PluginInfo* info = plugins_.find(kind, name->text());
    if (!info) return problem(name->location(), name_path, unknown_plugin(kind, name->text()));
    if (!stage_keys) return mapping(node, info->schema, path, true);
    Schema both = *stage_keys;
    for (const Param& param : info->schema.params) both.add(param);
    mapping(node, both, path, true);
  }

  std::string unknown_plugin(PluginKind kind, const std::string& name) const {
    std::vector<std::string> available = plugins_.names(kind);
    std::string what = cat("unknown ", kind_name(kind), " plugin '", name, "'");
    for (PluginKind other : kPluginKinds) {
      if (other != kind && plugins_.find(other, name))
        return cat(what, "; it is a ", kind_name(other), " plugin (available ", kind_name(kind),
                   " plugins: ", joined(available), ")");
    }
    std::string close = closest_match(name, available);
    if (!close.empty()) return cat(what, "; did you mean '", close, "'?");
    return cat(what, " (available: ", joined(available), ")");
  }

  const PluginCatalog& plugins_;
};

}  // namespace

void validate(Node& root, const Schema& schema, const PluginCatalog& plugins) {
  Validator validator(plugins);
  if (root.is_map()) {
    validator.mapping(root, schema, "", false);
  } else {
    std::string at = root.location().str();
    validator.problems.push_back(
        cat(at.empty() ? "" : at + ": ", "expected a mapping, found ", root.describe()));
  }
  if (validator.problems.empty()) return;
  std::string message;
  for (const std::string& problem : validator.problems)
    message += (message.empty() ? "" : "\n") + problem;
  throw Error(message);
}

}  // namespace forge
