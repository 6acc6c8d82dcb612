#include "cli/usage.h"

#include <iostream>

namespace forge::cli {

po::variables_map parse_command(const std::string& command, const std::vector<std::string>& args,
                                const po::options_description& options,
                                const po::positional_options_description& positional,
                                const std::string& usage, bool& help) {
  po::options_description all(options);
  all.add_options()("help,h", "show this help");
  po::variables_map values;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), values);
    if (values.count("help")) {
      help = true;
      std::cout << usage << "\n" << all << "\n";
      return values;
    }
    po::notify(values);
  } catch (const po::error& e) {
    throw UsageError{e.what(), command};
  }
  help = false;
  return values;
}

}  // namespace forge::cli
