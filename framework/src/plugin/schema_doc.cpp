#include "plugin/schema_doc.h"

#include <forge/error.h>
#include <forge/scalar.h>

#include <sstream>

namespace forge {
namespace {

std::string number_text(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

std::string inline_yaml(const Node& node) {
  switch (node.kind()) {
    case Node::Kind::null:
      return "null";
    case Node::Kind::scalar:
      return node.quoted() ? "'" + node.text() + "'" : node.text();
    case Node::Kind::sequence: {
      std::string out = "[";
      for (std::size_t i = 0; i < node.items().size(); ++i)
        out += (i ? ", " : "") + inline_yaml(node.items()[i]);
      return out + "]";
    }
    case Node::Kind::map: {
      std::string out = "{";
      for (std::size_t i = 0; i < node.entries().size(); ++i)
        out +=
            (i ? ", " : "") + node.entries()[i].key + ": " + inline_yaml(node.entries()[i].value);
      return out + "}";
    }
  }
  return "";
}

}  // namespace

std::string describe_type(const Param& param) {
  std::string out(type_name(param.type));
  if (param.type == ParamType::plugin) out = cat(kind_name(param.plugin_kind), " plugin");
  if (param.type == ParamType::plugin_list)
    out = cat("list of ", kind_name(param.plugin_kind), " plugins");
  if (param.min && param.max)
    out += cat(" in [", number_text(*param.min), ", ", number_text(*param.max), "]");
  else if (param.min)
    out += " >= " + number_text(*param.min);
  else if (param.max)
    out += " <= " + number_text(*param.max);
  if (!param.choices.empty()) {
    out += ": one of ";
    for (std::size_t i = 0; i < param.choices.size(); ++i)
      out += (i ? ", " : "") + param.choices[i];
  }
  return out;
}

std::string describe_default(const Param& param) {
  if (param.is_required) return "required";
  if (!param.default_value) return "optional";
  return "default " + inline_yaml(*param.default_value);
}

std::string render_schema(const Schema& schema, int indent) {
  std::string pad(indent, ' ');
  std::string out;
  for (const Param& param : schema.params) {
    out += cat(pad, param.name, "  (", describe_type(param), "; ", describe_default(param), ")\n");
    if (!param.help.empty()) out += cat(pad, "    ", param.help, "\n");
    if (param.type == ParamType::section && param.fields)
      out += render_schema(*param.fields, indent + 4);
    if (param.type == ParamType::plugin && param.fields) {
      out += cat(pad, "    beside the plugin's own keys:\n");
      out += render_schema(*param.fields, indent + 4);
    }
  }
  return out;
}

}  // namespace forge
