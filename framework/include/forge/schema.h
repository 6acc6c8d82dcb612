#pragma once

#include <forge/export.h>
#include <forge/node.h>
#include <forge/plugin_kind.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace forge {

struct Schema;

enum class ParamType {
  string,
  integer,
  number,
  boolean,
  string_list,
  number_list,
  section,      // a nested mapping with its own schema (`fields`)
  plugin,       // a mapping `{plugin: NAME, ...}` validated by that plugin's schema
  plugin_list,  // a list of plugin sections
  any,          // accepted as written (for free-form metadata)
};

FORGE_API std::string_view type_name(ParamType type);

// One recipe key: its type, default, constraints and a one-line doc. Built fluently:
//   param::integer("min_chars").fallback(0).at_least(0).doc("fewer characters are dropped")
struct FORGE_API Param {
  std::string name;
  ParamType type = ParamType::string;
  std::string help;
  bool is_required = false;
  std::optional<Node> default_value;
  std::optional<double> min;
  std::optional<double> max;
  std::vector<std::string> choices;
  std::shared_ptr<const Schema> fields;          // section; plugin: keys beside the plugin's
  PluginKind plugin_kind = PluginKind::dataset;  // plugin, plugin_list

  Param& doc(std::string text);
  Param& required();
  Param& fallback(std::int64_t value);
  Param& fallback(int value) { return fallback(static_cast<std::int64_t>(value)); }
  Param& fallback(double value);
  Param& fallback(bool value);
  Param& fallback(const char* value);
  Param& fallback(std::string value);
  Param& fallback(std::vector<std::string> values);
  Param& fallback(std::vector<double> values);
  Param& fallback_yaml(Node value);
  Param& at_least(double value);
  Param& at_most(double value);
  Param& range(double low, double high);
  Param& one_of(std::vector<std::string> values);
  // For a plugin section: keys the stage itself reads beside the plugin's own, e.g. a sampler
  // section's `every:` and `prompt:`.
  Param& with_keys(Schema keys);
};

// The keys a recipe section accepts. Unknown keys are errors.
struct FORGE_API Schema {
  std::vector<Param> params;

  Schema() = default;
  Schema(std::initializer_list<Param> list) : params(list) {}
  Schema& add(Param param);
  const Param* find(std::string_view name) const;
  std::vector<std::string> names() const;
};

namespace param {
FORGE_API Param string(std::string name);
FORGE_API Param integer(std::string name);
FORGE_API Param number(std::string name);
FORGE_API Param boolean(std::string name);
FORGE_API Param string_list(std::string name);
FORGE_API Param number_list(std::string name);
FORGE_API Param section(std::string name, Schema fields);
FORGE_API Param plugin(std::string name, PluginKind kind);
FORGE_API Param plugin_list(std::string name, PluginKind kind);
FORGE_API Param any(std::string name);
}  // namespace param

}  // namespace forge
