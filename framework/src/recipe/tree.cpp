#include "recipe/tree.h"

#include <algorithm>

namespace forge {

int nesting_of(const Node& node) {
  if (!node.is_sequence() && !node.is_map()) return 0;
  int inner = 0;
  for (const Node& item : node.items()) inner = std::max(inner, nesting_of(item));
  for (const auto& entry : node.entries()) inner = std::max(inner, nesting_of(entry.value));
  return inner + 1;
}

std::size_t count_nodes(const Node& node) {
  std::size_t count = 1;
  for (const Node& item : node.items()) count += count_nodes(item);
  for (const auto& entry : node.entries()) count += count_nodes(entry.value);
  return count;
}

void relocate(Node& node, const Location& where) {
  node.set_location(where);
  for (Node& item : node.items()) relocate(item, where);
  for (auto& entry : node.entries()) {
    entry.key_location = where;
    relocate(entry.value, where);
  }
}

}  // namespace forge
