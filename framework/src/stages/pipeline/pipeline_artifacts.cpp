#include "stages/pipeline/pipeline_artifacts.h"

#include <forge/error.h>

#include <cstdint>
#include <optional>
#include <string>
#include <system_error>

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

// The step of "step-00000040.h5", or nothing for any other name.
std::optional<std::uint64_t> step_of(const std::string& name) {
  const std::string prefix = "step-", suffix = ".h5";
  if (name.size() <= prefix.size() + suffix.size() || name.rfind(prefix, 0) != 0 ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
    return std::nullopt;
  std::string digits = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
  if (digits.size() > 18 || digits.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stoull(digits);
}

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
  fs::path folder = dir / "checkpoints";
  std::error_code error;
  if (!fs::is_directory(folder, error)) return;
  std::optional<std::uint64_t> best;
  std::string newest;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    std::string name = entry.path().filename().string();
    std::optional<std::uint64_t> step = step_of(name);
    if (step && (!best || *step > *best)) {
      best = step;
      newest = name;
    }
  }
  if (newest.empty()) return;
  // A temporary link renamed over the old one: a reader never finds last.h5 missing.
  fs::path temp = folder / ".last.h5.tmp";
  fs::remove(temp, error);
  fs::create_symlink(newest, temp, error);
  if (!error) fs::rename(temp, folder / "last.h5", error);
  if (error)
    throw Error(cat("cannot point '", (folder / "last.h5").string(), "' at ", newest, ": ",
                    error.message()));
}

}  // namespace forge
