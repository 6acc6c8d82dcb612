#include <forge/schema.h>

#include <cstdio>
#include <cstdlib>

namespace forge {

std::string_view type_name(ParamType type) {
  switch (type) {
    case ParamType::string:
      return "string";
    case ParamType::integer:
      return "integer";
    case ParamType::number:
      return "number";
    case ParamType::boolean:
      return "boolean";
    case ParamType::string_list:
      return "list of strings";
    case ParamType::number_list:
      return "list of numbers";
    case ParamType::section:
      return "mapping";
    case ParamType::plugin:
      return "plugin";
    case ParamType::plugin_list:
      return "list of plugins";
    case ParamType::any:
      return "any";
  }
  return "unknown";
}

Param& Param::doc(std::string text) {
  help = std::move(text);
  return *this;
}

Param& Param::required() {
  is_required = true;
  return *this;
}

Param& Param::fallback(std::int64_t value) {
  return fallback_yaml(Node::scalar(std::to_string(value)));
}

Param& Param::fallback(double value) {
  std::string text = std::to_string(value);
  // to_string pads with zeros; keep the shortest text that reads back the same.
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  text = buffer;
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
  return fallback_yaml(Node::scalar(text));
}

Param& Param::fallback(bool value) { return fallback_yaml(Node::scalar(value ? "true" : "false")); }
Param& Param::fallback(const char* value) { return fallback(std::string(value)); }
Param& Param::fallback(std::string value) {
  return fallback_yaml(Node::scalar(std::move(value), true));
}

Param& Param::fallback(std::vector<std::string> values) {
  Node list = Node::sequence();
  for (auto& value : values) list.items().push_back(Node::scalar(std::move(value), true));
  return fallback_yaml(std::move(list));
}

Param& Param::fallback(std::vector<double> values) {
  Node list = Node::sequence();
  for (double value : values) list.items().push_back(*Param().fallback(value).default_value);
  return fallback_yaml(std::move(list));
}

Param& Param::fallback_yaml(Node value) {
  default_value = std::move(value);
  return *this;
}

Param& Param::at_least(double value) {
  min = value;
  return *this;
}

Param& Param::at_most(double value) {
  max = value;
  return *this;
}

Param& Param::range(double low, double high) {
  min = low;
  max = high;
  return *this;
}

Param& Param::one_of(std::vector<std::string> values) {
  choices = std::move(values);
  return *this;
}

Param& Param::with_keys(Schema keys) {
  fields = std::make_shared<const Schema>(std::move(keys));
  return *this;
}

Schema& Schema::add(Param param) {
  params.push_back(std::move(param));
  return *this;
}

const Param* Schema::find(std::string_view name) const {
  for (const auto& param : params)
    if (param.name == name) return &param;
  return nullptr;
}

std::vector<std::string> Schema::names() const {
  std::vector<std::string> out;
  for (const auto& param : params) out.push_back(param.name);
  return out;
}

namespace param {
namespace {
Param make(std::string name, ParamType type) {
  Param param;
  param.name = std::move(name);
  param.type = type;
  return param;
}
}  // namespace

Param string(std::string name) { return make(std::move(name), ParamType::string); }
Param integer(std::string name) { return make(std::move(name), ParamType::integer); }
Param number(std::string name) { return make(std::move(name), ParamType::number); }
Param boolean(std::string name) { return make(std::move(name), ParamType::boolean); }
Param string_list(std::string name) { return make(std::move(name), ParamType::string_list); }
Param number_list(std::string name) { return make(std::move(name), ParamType::number_list); }
Param any(std::string name) { return make(std::move(name), ParamType::any); }

Param section(std::string name, Schema fields) {
  Param param = make(std::move(name), ParamType::section);
  param.fields = std::make_shared<const Schema>(std::move(fields));
  return param;
}

Param plugin(std::string name, PluginKind kind) {
  Param param = make(std::move(name), ParamType::plugin);
  param.plugin_kind = kind;
  return param;
}

Param plugin_list(std::string name, PluginKind kind) {
  Param param = make(std::move(name), ParamType::plugin_list);
  param.plugin_kind = kind;
  return param;
}
}  // namespace param

}  // namespace forge
