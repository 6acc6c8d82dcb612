#include "recipe/recipe.h"

namespace forge {

void deep_merge(Node& base, const Node& overlay) {
  if (!base.is_map() || !overlay.is_map()) {
    base = overlay;
    return;
  }
  // The merged mapping is the overlay's: errors about it should point at the file on top.
  base.set_location(overlay.location());
  for (const auto& entry : overlay.entries()) {
    Node* existing = base.find(entry.key);
    if (existing && existing->is_map() && entry.value.is_map()) {
      deep_merge(*existing, entry.value);
      for (auto& mine : base.entries())
        if (mine.key == entry.key) mine.key_location = entry.key_location;
    } else {
      base.set(entry.key, entry.value, entry.key_location);
    }
  }
}

}  // namespace forge
