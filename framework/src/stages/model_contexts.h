#pragma once

// What validation knows of a recipe's model before any is built: its context (the longest
// sequence), from the architecture's keys, from the `init:` checkpoint's recipe, or from what
// an earlier stage of a pipeline will write.

#include <forge/node.h>

#include "plugin/registry.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>

namespace forge {

class FORGE_API ModelContexts {
 public:
  explicit ModelContexts(const Registry& plugins) : plugins_(&plugins) {}

  // A checkpoint an earlier stage will write, with its model's context.
  void plan(const std::filesystem::path& checkpoint, std::int64_t context);
  // The context of the model `checkpoint` holds: planned, or read from the file's recipe;
  // nullopt when neither tells (a missing or unreadable file is reported when it is loaded).
  std::optional<std::int64_t> of_checkpoint(const std::filesystem::path& checkpoint) const;
  // The context of a validated recipe's model: its `model:` architecture's, else its init's.
  std::optional<std::int64_t> of_recipe(const Node& root) const;

 private:
  std::optional<std::int64_t> of_architecture(const Node& section) const;

  const Registry* plugins_;
  std::map<std::filesystem::path, std::int64_t> planned_;
};

}  // namespace forge
