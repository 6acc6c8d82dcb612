#pragma once

// Type, range and choice checks for one scalar value against its Param; the walk over mappings,
// lists and plugin sections lives in validate.cpp.

#include <forge/node.h>
#include <forge/schema.h>

#include <optional>
#include <string>

namespace forge {

// What is wrong with `value` as a string, integer, number or boolean parameter (or as one item
// of a string or number list), or nothing when it is fine.
std::optional<std::string> check_scalar(const Node& value, const Param& param, ParamType type);

}  // namespace forge
