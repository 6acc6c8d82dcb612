#include "io/run_dir.h"

#include <forge/error.h>
#include <forge/files.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>

namespace forge {
namespace fs = std::filesystem;
namespace {

std::string format_now(const char* format, bool utc) {
  std::time_t now = std::time(nullptr);
  std::tm parts{};
  if (utc)
    gmtime_r(&now, &parts);
  else
    localtime_r(&now, &parts);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, format, &parts);
  return buffer;
}

bool holds_run(const fs::path& dir) {
  return fs::exists(dir / "recipe.yaml") || fs::exists(dir / "run.json");
}

}  // namespace

std::string utc_timestamp() { return format_now("%Y-%m-%dT%H:%M:%SZ", true); }

fs::path runs_root() {
  const char* root = std::getenv("FORGE_RUNS_DIR");
  return root && *root ? fs::path(root) : fs::path("runs");
}

fs::path create_run_dir(const std::string& name, const std::optional<fs::path>& requested,
                        bool overwrite) {
  fs::path dir;
  if (requested) {
    dir = *requested;
  } else {
    // Two runs in the same second get -2, -3, ... rather than sharing a folder.
    fs::path base = runs_root() / name / format_now("%Y%m%d-%H%M%S", false);
    dir = base;
    for (int n = 2; fs::exists(dir); ++n) dir = base.string() + "-" + std::to_string(n);
  }
  std::error_code error;
  if (fs::exists(dir, error) && !fs::is_directory(dir, error))
    throw Error(cat("run directory '", dir.string(), "' exists and is not a folder"));
  if (fs::is_directory(dir, error) && !fs::is_empty(dir, error)) {
    if (!overwrite) {
      std::string what = holds_run(dir) ? "already holds a run" : "is not empty";
      throw Error(cat("run directory '", dir.string(), "' ", what,
                      "; continue it with 'forge resume ", dir.string(),
                      "', start over with --overwrite, or choose another --run-dir"));
    }
    if (!holds_run(dir))
      throw Error(cat("refusing to --overwrite '", dir.string(),
                      "': it is not empty and does not look like a Forge run"));
    fs::remove_all(dir);
  }
  fs::create_directories(dir, error);
  if (error)
    throw Error(cat("cannot create run directory '", dir.string(), "': ", error.message()));
  return dir;
}

void update_latest_link(const std::string& name, const fs::path& run_dir) {
  fs::path folder = runs_root() / name;
  std::error_code error;
  fs::create_directories(folder, error);
  fs::path target = fs::absolute(run_dir, error);
  if (error) return;
  fs::path link = folder / "latest";
  fs::path temp = folder / ".latest.tmp";
  fs::remove(temp, error);
  fs::create_directory_symlink(target, temp, error);
  if (!error) fs::rename(temp, link, error);
}

void write_run_status(const fs::path& run_dir, const nlohmann::json& status) {
  write_file_atomic(run_dir / "run.json", status.dump(2) + "\n");
}

nlohmann::json read_run_status(const fs::path& run_dir) {
  fs::path file = run_dir / "run.json";
  if (!fs::exists(file)) return nlohmann::json::object();
  try {
    return nlohmann::json::parse(read_file(file));
  } catch (const nlohmann::json::exception& e) {
    throw Error(cat("'", file.string(), "' is damaged: ", e.what()));
  }
}

}  // namespace forge
