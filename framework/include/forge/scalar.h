#pragma once

#include <forge/export.h>
#include <forge/node.h>

#include <cstdint>
#include <optional>

namespace forge {

// Typed readings of a scalar node. Each returns nothing when the node is not a plain scalar of
// that type, so validation and typed access share one definition of "an integer".
FORGE_API std::optional<std::int64_t> as_integer(const Node& node);
FORGE_API std::optional<double> as_number(const Node& node);  // integers are numbers too
FORGE_API std::optional<bool> as_boolean(const Node& node);   // true/false, yes/no, on/off

}  // namespace forge
