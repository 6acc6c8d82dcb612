#pragma once

#include <string>
#include <vector>

namespace forge::cli {

// Each subcommand takes the arguments after its name and returns the process exit code:
// 0 ok, 1 failure at run time, 2 bad usage or bad input. forge::Error escapes to main().
using Args = std::vector<std::string>;

int run_command(const Args& args, const std::string& command_line);
int resume_command(const Args& args, const std::string& command_line);
int validate_command(const Args& args);
int plugins_command(const Args& args);
int stages_command(const Args& args);
int sample_command(const Args& args);
int tokenize_command(const Args& args);
int extract_command(const Args& args);
int chat_command(const Args& args);
int serve_command(const Args& args);
int sweep_command(const Args& args);
int runs_command(const Args& args);
int compare_command(const Args& args);
int report_command(const Args& args);

}  // namespace forge::cli
