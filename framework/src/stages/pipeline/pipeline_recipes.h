#pragma once

// A pipeline's `stages:` list made into stage recipes: entry checks, inlined recipe files, and
// each stage's own tree with ${stages.NAME.ARTIFACT} resolved against the stages before it.

#include <forge/node.h>

#include "plugin/registry.h"
#include "stages/resolve.h"

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace forge {

// One item of `stages:`, already checked to be a mapping with a good name.
struct PipelineEntry {
  std::size_t index = 0;
  std::string name;
  const Node* node = nullptr;
};

// The entries of `root`'s `stages:` (none when the key is absent: the schema reports that).
// Refuses anything but a non-empty list of mappings with unique, folder-safe names, and
// entries that would make a pipeline inside a pipeline.
std::vector<PipelineEntry> pipeline_entries(const Node& root);

// Replaces each entry's `recipe: FILE` (relative to the file that names it, base: chain
// followed) by that file's keys with the entry's own merged over them; `from:` keeps the path.
void inline_stage_recipes(Node& root);

// Every stage of the pipeline in order, validated as its own recipe, each seeing the artifacts
// of the stages before it in `run_dir`. Errors start with "stages[2] 'pretrain': ".
std::vector<ResolvedRecipe> resolve_stages(const Node& root, const std::filesystem::path& run_dir,
                                           Registry& plugins);

}  // namespace forge
