#pragma once

#include <forge/export.h>

#include <array>
#include <optional>
#include <string_view>

namespace forge {

// The kinds of plugin; each has one abstract interface in <forge/KIND.h>.
enum class PluginKind { dataset, filter, tokenizer, architecture, loss, reward, sampler, tool };

inline constexpr std::array kPluginKinds = {
    PluginKind::dataset, PluginKind::filter, PluginKind::tokenizer, PluginKind::architecture,
    PluginKind::loss,    PluginKind::reward, PluginKind::sampler,   PluginKind::tool};

FORGE_API std::string_view kind_name(PluginKind kind);
FORGE_API std::optional<PluginKind> parse_kind(std::string_view name);

}  // namespace forge
