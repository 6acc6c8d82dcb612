#pragma once

// Small walks over Node trees shared by the recipe engine's steps.

#include <forge/node.h>

#include <cstddef>

namespace forge {

// How deeply a recipe may nest mappings and lists, wherever the nesting comes from (the text,
// aliases or ${...} copies); deeper trees are refused before a recursive walk can overflow.
inline constexpr int kMaxNesting = 64;

// Levels of mappings and lists in `node`: 0 for a scalar or null, 1 for a flat list.
int nesting_of(const Node& node);

// The number of nodes in the tree, `node` included.
std::size_t count_nodes(const Node& node);

// Gives `node`, its descendants and their keys the location `where`.
void relocate(Node& node, const Location& where);

}  // namespace forge
