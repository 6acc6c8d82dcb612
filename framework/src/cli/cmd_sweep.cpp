#include "cli/commands.h"
#include "cli/usage.h"
#include "sweep/sweep_runner.h"

namespace forge::cli {
namespace {

const char* kSweepUsage =
    "usage: forge sweep RECIPE key=a,b,c [other=1,2 ...] [key=value ...] [--random N] [--seeds K]\n"
    "                   [--jobs J] [--sweep-dir DIR] [--metric NAME] [--dry-run]\n"
    "\n"
    "Runs the recipe once per combination of the listed values (the grid), or for N of them\n"
    "drawn at random (--random N, --random-seed S), each K times with seed=1..K (--seeds K).\n"
    "Runs are separate `forge run` processes, J at a time, in DIR/NAME (NAME from the values,\n"
    "e.g. lr=1e-3,n_layer=2); DIR (default runs/RECIPE-NAME/sweep-KEYS) holds sweep.json,\n"
    "logs/ and summary.tsv / summary.md. The same command again skips complete runs and starts\n"
    "the others over. Overrides with one value apply to every run.";

}  // namespace

int sweep_command(const Args& args) {
  SweepOptions options;
  std::string recipe, folder;
  po::options_description described("options");
  described.add_options()("recipe", po::value(&recipe)->required(), "the recipe file")(
      "override", po::value(&options.overrides)->multitoken(), "key=a,b,c, key=value or ~key")(
      "random", po::value(&options.random), "run N combinations drawn from the grid")(
      "random-seed", po::value(&options.random_seed), "seed of --random's draw (default 0)")(
      "seeds", po::value(&options.seeds), "run each combination with seed=1..K")(
      "jobs,j", po::value(&options.jobs), "runs at once (default 1)")(
      "sweep-dir", po::value(&folder), "the sweep folder (default runs/NAME/sweep-KEYS)")(
      "metric", po::value(&options.metric), "the summary's metric (default val_loss, else loss)")(
      "dry-run", po::bool_switch(&options.dry_run), "print the planned runs; start nothing");
  po::positional_options_description positional;
  positional.add("recipe", 1).add("override", -1);
  bool help = false;
  parse_command("sweep", args, described, positional, kSweepUsage, help);
  if (help) return 0;
  options.recipe = recipe;
  if (!folder.empty()) options.folder = folder;
  SweepResult result = run_sweep(options, Registry::global());
  if (result.signal) return 128 + result.signal;
  return result.failed ? 1 : 0;
}

}  // namespace forge::cli
