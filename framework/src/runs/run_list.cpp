#include "runs/run_list.h"

#include <forge/error.h>

#include "runs/run_data.h"

#include <algorithm>

namespace forge {
namespace fs = std::filesystem;
namespace {

void collect(const fs::path& dir, int depth, std::vector<fs::path>& out) {
  if (is_run_dir(dir)) {
    out.push_back(dir);
    return;
  }
  if (depth > 8) return;
  std::error_code error;
  std::vector<fs::path> children;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, error)) {
    if (entry.is_symlink(error) || !entry.is_directory(error)) continue;
    children.push_back(entry.path());
  }
  std::sort(children.begin(), children.end());
  for (const fs::path& child : children) collect(child, depth + 1, out);
}

}  // namespace

std::vector<fs::path> find_runs(const fs::path& root) {
  std::vector<fs::path> out;
  std::error_code error;
  if (fs::is_directory(root, error)) collect(root, 0, out);
  return out;
}

std::vector<fs::path> expand_run_targets(const std::vector<fs::path>& targets) {
  std::vector<fs::path> out;
  for (const fs::path& target : targets) {
    if (!fs::exists(target))
      throw Error(cat("'", target.string(), "' does not exist; name run directories or a sweep ",
                      "folder ('forge runs' lists the runs)"));
    std::vector<fs::path> found = find_runs(target);
    if (found.empty())
      throw Error(cat("'", target.string(), "' holds no run (no run.json or recipe.yaml in it ",
                      "or below it)"));
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

}  // namespace forge
