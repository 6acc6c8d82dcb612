#include <forge/dataset.h>
#include <forge/filter.h>
#include <forge/plugin.h>
#include <forge/plugin_kind.h>

namespace forge {

std::string_view kind_name(PluginKind kind) {
  switch (kind) {
    case PluginKind::dataset:
      return "dataset";
    case PluginKind::filter:
      return "filter";
    case PluginKind::tokenizer:
      return "tokenizer";
    case PluginKind::architecture:
      return "architecture";
    case PluginKind::loss:
      return "loss";
    case PluginKind::reward:
      return "reward";
    case PluginKind::sampler:
      return "sampler";
    case PluginKind::tool:
      return "tool";
  }
  return "unknown";
}

std::optional<PluginKind> parse_kind(std::string_view name) {
  for (PluginKind kind : kPluginKinds)
    if (kind_name(kind) == name) return kind;
  return std::nullopt;
}

Plugin::~Plugin() = default;
DocumentWriter::~DocumentWriter() = default;

}  // namespace forge
