#pragma once

// The recipe engine: YAML files with `base:` inheritance, command-line overrides, ${...}
// interpolation and schema validation. Every error it throws is a forge::Error whose message
// starts with the location ("file:line:col: key.path: ...").

#include <forge/export.h>
#include <forge/node.h>
#include <forge/schema.h>

#include "plugin/catalog.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace forge {

// Parses YAML text into a Node tree whose locations name `file`. Refuses empty documents,
// binary data, invalid UTF-8, duplicate keys, non-scalar keys and nesting past 64 levels.
FORGE_API Node parse_yaml(std::string_view text, const std::string& file);

// Reads and parses a recipe file, then follows `base:` (a path or list of paths relative to the
// including file), deep-merging each base underneath. Cycles are refused naming the chain.
FORGE_API Node load_recipe(const std::filesystem::path& file);

// Overlay's maps merge key by key into base's; any other value replaces base's.
FORGE_API void deep_merge(Node& base, const Node& overlay);

// Applies "a.b=value" (value parsed as YAML) and "~a.b" (deletes). A numeric segment indexes a
// list: "steps.0.min_chars=10".
FORGE_API void apply_overrides(Node& root, const std::vector<std::string>& overrides);

// Replaces ${a.b} with the value at that key path and ${env:NAME} with the environment
// variable; "$${" writes a literal "${". Refuses cycles and unknown keys with suggestions.
// Top-level keys in `deferred` are left exactly as written, escapes included, and references
// into them are refused: they are interpolated later in a scope of their own.
FORGE_API void interpolate(Node& root, const std::vector<std::string>& deferred = {});

// Checks `root` against `schema` and the plugin sections against their plugins' schemas; fills
// in defaults. Collects every problem and throws one Error listing them, one per line.
FORGE_API void validate(Node& root, const Schema& schema, const PluginCatalog& plugins);

// The candidate closest to `word` by edit distance, or "" when none is close enough.
FORGE_API std::string closest_match(std::string_view word,
                                    const std::vector<std::string>& candidates);

// Writes a Node tree back as YAML (block style, keys in order, strings quoted when needed).
// A literal "${" is written as "$${"; except under the top-level keys in `raw`, which were
// never interpolated and so are written as they are.
FORGE_API std::string emit_yaml(const Node& root, const std::vector<std::string>& raw = {});

}  // namespace forge
