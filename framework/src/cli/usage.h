#pragma once

#include <boost/program_options.hpp>

#include <string>
#include <vector>

namespace forge::cli {

namespace po = boost::program_options;

// A bad command line: main() prints it with a pointer to --help and exits 2.
struct UsageError {
  std::string message;
  std::string command;
};

// Parses a subcommand's arguments; --help prints `usage` and the options and sets `help`.
// Unknown options and missing positionals become UsageError.
po::variables_map parse_command(const std::string& command, const std::vector<std::string>& args,
                                const po::options_description& options,
                                const po::positional_options_description& positional,
                                const std::string& usage, bool& help);

}  // namespace forge::cli
