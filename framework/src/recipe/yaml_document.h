#pragma once

// The parser behind parse_yaml, shared with overrides (whose empty values mean null).

#include <forge/node.h>

#include <optional>
#include <string>
#include <string_view>

namespace forge {

// Parses one YAML document into Nodes located in `file`; nothing when the text holds no
// document at all (blank or comments only). Throws forge::Error for everything parse_yaml
// refuses except emptiness.
std::optional<Node> parse_yaml_document(std::string_view text, const std::string& file);

}  // namespace forge
