#include <forge/files.h>

#include "cli/commands.h"
#include "cli/usage.h"
#include "report/comparison.h"
#include "report/text.h"
#include "runs/run_list.h"

#include <iostream>

namespace forge::cli {
namespace {

const char* kCompareUsage =
    "usage: forge compare RUN... [--metric NAME] [--html FILE]\n"
    "\n"
    "Compares runs (run directories, or folders such as a sweep's that hold runs): a table of\n"
    "the recipe keys that differ and the final and best metric (default val_loss, else loss).\n"
    "--html writes a self-contained page with the metric curves overlaid (by step, tokens or\n"
    "time; smoothing; log scale) and, when keys differ, a parallel-coordinates view of them\n"
    "against the metric.";

}  // namespace

int compare_command(const Args& args) {
  std::vector<std::string> targets;
  std::string metric, html;
  po::options_description described("options");
  described.add_options()("run", po::value(&targets)->multitoken()->required(), "runs or folders")(
      "metric", po::value(&metric), "the metric to rank by")("html", po::value(&html),
                                                             "write the HTML report to FILE");
  po::positional_options_description positional;
  positional.add("run", -1);
  bool help = false;
  parse_command("compare", args, described, positional, kCompareUsage, help);
  if (help) return 0;
  std::vector<std::filesystem::path> paths(targets.begin(), targets.end());
  Comparison comparison = compare_runs(expand_run_targets(paths), metric);
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows = comparison_rows(comparison, header);
  std::cout << text_table(header, rows);
  if (!html.empty()) {
    write_file_atomic(html, comparison_html(comparison));
    std::cout << "report: " << html << "\n";
  }
  return 0;
}

}  // namespace forge::cli
