// The `forge` executable: dispatches to subcommands and turns every error into one clear
// message and an exit code (0 ok, 1 failure at run time, 2 bad usage or bad input).
#include <forge/error.h>
#include <forge/log.h>
#include <forge/version.h>

#include "cli/commands.h"
#include "cli/usage.h"
#include "core/build_info.h"
#include "dist/communicator.h"
#include "stages/runner.h"

#include <cstdlib>
#include <cstring>
#include <iostream>

namespace {

const char* kUsage =
    "usage: forge [--log-level LEVEL] COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  run RECIPE [key=value ...]     validate a recipe and run it in a new run directory\n"
    "  resume RUN_DIR                 continue an interrupted run\n"
    "  validate RECIPE [key=value ...] print the resolved recipe; starts nothing\n"
    "  plugins [KIND]                 list plugins; 'plugins show KIND/NAME' for parameters\n"
    "  stages                         list stages; 'stages show NAME' for their keys\n"
    "  sample CHECKPOINT [--prompt T]  generate text from a checkpoint, streamed\n"
    "  chat CHECKPOINT [--tool NAME]   chat with a checkpoint's model, with tools (docs/tools.md)\n"
    "  tokenize --tokenizer SPEC ...  a tokenizer's ids or pieces for some text\n"
    "  extract FILE.html [--url URL]  the main text of an HTML page, as html_extract sees it\n"
    "  serve CHECKPOINT [--port P]    an OpenAI-compatible HTTP API and web chat (docs/serve.md)\n"
    "  sweep RECIPE key=a,b ...       grid or random search over overrides, --jobs J at once\n"
    "  runs [DIR]                     list runs: name, stage, status, steps, best metric, start\n"
    "  compare RUN... [--html FILE]   the recipe keys that differ and the metrics, with charts\n"
    "  report RUN_DIR                 a run's report card: report.html and report.md\n"
    "\n"
    "options:\n"
    "  --log-level LEVEL  debug, info (default), warning or error; also FORGE_LOG_LEVEL\n"
    "  --version          print the version\n"
    "  -h, --help         this help; 'forge COMMAND --help' for a command's\n";

std::string join(int argc, char** argv) {
  std::string out;
  for (int i = 0; i < argc; ++i) {
    if (i) out += ' ';
    out += argv[i];
  }
  return out;
}

int dispatch(const std::string& command, const forge::cli::Args& args, const std::string& line) {
  using namespace forge::cli;
  if (command == "run") return run_command(args, line);
  if (command == "resume") return resume_command(args, line);
  if (command == "validate") return validate_command(args);
  if (command == "plugins") return plugins_command(args);
  if (command == "stages") return stages_command(args);
  if (command == "sample") return sample_command(args);
  if (command == "chat") return chat_command(args);
  if (command == "tokenize") return tokenize_command(args);
  if (command == "extract") return extract_command(args);
  if (command == "serve") return serve_command(args);
  if (command == "sweep") return sweep_command(args);
  if (command == "runs") return runs_command(args);
  if (command == "compare") return compare_command(args);
  if (command == "report") return report_command(args);
  throw UsageError{"unknown command '" + command + "'", ""};
}

}  // namespace

int main(int argc, char** argv) {
  std::string line = join(argc, argv);
  int first = 1;
  try {
    if (const char* level = std::getenv("FORGE_LOG_LEVEL"))
      forge::set_log_level(forge::parse_log_level(level));
    for (; first < argc && argv[first][0] == '-'; ++first) {
      std::string option = argv[first];
      if (option == "--version") {
        std::string commit = forge::build_git_commit();
        std::cout << "forge " << forge::kVersion << (commit.empty() ? "" : " (" + commit + ")")
                  << ", plugin API " << forge::kPluginApiVersion << "\n";
        return 0;
      }
      if (option == "--help" || option == "-h") {
        std::cout << kUsage;
        return 0;
      }
      if (option == "--log-level" && first + 1 < argc) {
        forge::set_log_level(forge::parse_log_level(argv[++first]));
        continue;
      }
      throw forge::cli::UsageError{"unknown option '" + option + "'", ""};
    }
    if (first >= argc) throw forge::cli::UsageError{"no command given", ""};
    forge::cli::Args args(argv + first + 1, argv + argc);
    return dispatch(argv[first], args, line);
  } catch (const forge::cli::UsageError& e) {
    std::string help = e.command.empty() ? "forge --help" : "forge " + e.command + " --help";
    std::cerr << "forge: " << e.message << " (see '" << help << "')\n";
    return 2;
  } catch (const forge::RunFailure& e) {
    std::cerr << "forge: " << forge::rank_prefix() << "failed: " << e.what() << "\n";
    forge::end_all_ranks_if_parallel(1);
    return 1;
  } catch (const forge::Error& e) {
    std::cerr << "forge: " << forge::rank_prefix() << e.what() << "\n";
    forge::end_all_ranks_if_parallel(2);
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "forge: " << forge::rank_prefix() << "internal error: " << e.what() << "\n";
    forge::end_all_ranks_if_parallel(1);
    return 1;
  }
}
