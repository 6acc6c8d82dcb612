#include "stages/pipeline/pipeline_artifacts.h"

#include <forge/error.h>

#include "train/train_checkpoint.h"

#include <string>
#include <system_error>
#include <vector>

namespace forge {
namespace fs = std::filesystem;
namespace {

// The stage's `output:` path when it is `stage`'s (a string there), else `fallback`; relative
// paths are inside the run, as those stages read them.
fs::path output_of(const ResolvedRecipe& recipe, const std::string& stage, const fs::path& dir,
                   const char* fallback) {
  const Node* output = recipe.root.find("output");
  if (recipe.stage->name() != stage || !output || !output->is_scalar()) return dir / fallback;
  fs::path path = output->text();
  return path.is_absolute() ? path : dir / path;
}

Node path_value(const fs::path& path) { return Node::scalar(path.string(), true); }

}  // namespace

Node stage_artifacts(const ResolvedRecipe& stage, const fs::path& dir) {
  Node artifacts = Node::map();
  artifacts.set("dir", path_value(dir));
  artifacts.set("checkpoint", path_value(dir / "checkpoints" / "last.h5"));
  artifacts.set("tokenizer", path_value(output_of(stage, "tokenizer", dir, "tokenizer.tiktoken")));
  artifacts.set("tokens", path_value(output_of(stage, "tokenize", dir, "tokens")));
  return artifacts;
}

void link_last_checkpoint(const fs::path& dir) {
  std::vector<fs::path> checkpoints = list_checkpoints(dir);
  if (checkpoints.empty()) return;
  const std::string newest = checkpoints.back().filename().string();
  const fs::path folder = dir / "checkpoints";
  // A temporary link renamed over the old one: a reader never finds last.h5 missing.
  std::error_code error;
  fs::path temp = folder / ".last.h5.tmp";
  fs::remove(temp, error);
  fs::create_symlink(newest, temp, error);
  if (!error) fs::rename(temp, folder / "last.h5", error);
  if (error)
    throw Error(cat("cannot point '", (folder / "last.h5").string(), "' at ", newest, ": ",
                    error.message()));
}

}  // namespace forge
