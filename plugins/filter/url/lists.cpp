#include "lists.h"

#include <forge/error.h>

#include <boost/dll/runtime_symbol_info.hpp>

#include <fstream>

namespace forge::url {

std::vector<std::string> read_list(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw Error(cat("cannot read the list file '", file.string(), "'"));
  std::vector<std::string> entries;
  std::string line;
  while (std::getline(in, line)) {
    std::size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    std::size_t last = line.find_last_not_of(" \t\r");
    entries.push_back(line.substr(first, last - first + 1));
  }
  return entries;
}

std::filesystem::path default_lists_folder() {
  std::filesystem::path beside = boost::dll::this_line_location().parent_path() / "url-lists";
  if (std::filesystem::is_directory(beside)) return beside;
#ifdef FORGE_URL_LISTS_INSTALL_DIR
  if (std::filesystem::is_directory(FORGE_URL_LISTS_INSTALL_DIR))
    return FORGE_URL_LISTS_INSTALL_DIR;
#endif
  return beside;
}

}  // namespace forge::url
