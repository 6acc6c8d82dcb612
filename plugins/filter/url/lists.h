#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace forge::url {

// The entries of a list file: one per line, surrounding whitespace trimmed, blank lines and
// lines starting with '#' skipped. Throws forge::Error naming the file when it can't be read.
std::vector<std::string> read_list(const std::filesystem::path& file);

// The folder of lists shipped with the plugin: url-lists/ beside the plugin's library, else
// the installed one.
std::filesystem::path default_lists_folder();

}  // namespace forge::url
