#include "cli/commands.h"
#include "cli/usage.h"
#include "report/run_report.h"
#include "runs/run_data.h"

#include <iostream>

namespace forge::cli {
namespace {

const char* kReportUsage =
    "usage: forge report RUN_DIR\n"
    "\n"
    "Writes the run's report card, report.html (with metric charts) and report.md, into the run\n"
    "directory: recipe, environment, timing, throughput, metrics, samples and evaluation\n"
    "results. Every run writes them itself when it ends; this renews them.";

}  // namespace

int report_command(const Args& args) {
  std::string dir;
  po::options_description described("options");
  described.add_options()("run-dir", po::value(&dir)->required(), "the run");
  po::positional_options_description positional;
  positional.add("run-dir", 1);
  bool help = false;
  parse_command("report", args, described, positional, kReportUsage, help);
  if (help) return 0;
  load_run(dir, true);  // a folder that is no run is refused with a clear message
  write_run_report(dir);
  std::cout << "report: " << (std::filesystem::path(dir) / "report.html").string() << "\n"
            << "report: " << (std::filesystem::path(dir) / "report.md").string() << "\n";
  return 0;
}

}  // namespace forge::cli
