#include <forge/error.h>

#include "cli/commands.h"
#include "cli/usage.h"
#include "io/run_dir.h"
#include "report/text.h"
#include "runs/run_data.h"
#include "runs/run_list.h"

#include <iostream>

namespace forge::cli {
namespace {

const char* kRunsUsage =
    "usage: forge runs [DIR]\n"
    "\n"
    "Lists the runs at or below DIR (default runs/, or FORGE_RUNS_DIR): name, stage, status,\n"
    "steps, best metric (val_loss, else loss) and start time.";

std::vector<std::string> run_row(const std::filesystem::path& root,
                                 const std::filesystem::path& dir) {
  RunData run = load_run(dir, false);
  std::string path = dir.lexically_relative(root).string();
  std::string steps =
      run.metrics.empty() ? "0" : short_number(run.metrics.back().value("step", 0.0));
  std::string metric = default_metric(run), best = "-";
  if (!metric.empty()) best = metric + " " + short_number(summarize_metric(run, metric).best_value);
  return {path.empty() || path == "." ? dir.string() : path,
          run.name(),
          run.status.value("stage", std::string("?")),
          run.status.value("status", std::string("?")),
          steps,
          best,
          run.status.value("started", std::string(""))};
}

}  // namespace

int runs_command(const Args& args) {
  std::string dir;
  po::options_description described("options");
  described.add_options()("dir", po::value(&dir), "the folder to list (default runs/)");
  po::positional_options_description positional;
  positional.add("dir", 1);
  bool help = false;
  parse_command("runs", args, described, positional, kRunsUsage, help);
  if (help) return 0;
  std::filesystem::path root = dir.empty() ? runs_root() : std::filesystem::path(dir);
  if (!std::filesystem::is_directory(root))
    throw Error(cat("'", root.string(), "' is not a folder; name the folder that holds the runs ",
                    "(default runs/, or FORGE_RUNS_DIR)"));
  std::vector<std::vector<std::string>> rows;
  for (const std::filesystem::path& run : find_runs(root)) {
    try {
      rows.push_back(run_row(root, run));
    } catch (const Error& e) {
      rows.push_back(
          {run.lexically_relative(root).string(), "?", "?", "unreadable", "", e.what(), ""});
    }
  }
  if (rows.empty()) {
    std::cout << "no runs in " << root.string() << "\n";
    return 0;
  }
  std::cout << text_table({"path", "name", "stage", "status", "steps", "best", "started"}, rows);
  return 0;
}

}  // namespace forge::cli
