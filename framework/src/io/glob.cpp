#include <forge/error.h>
#include <forge/files.h>

#include <fnmatch.h>
#include <algorithm>
#include <cstring>
#include <string>
#include <system_error>
#include <vector>

namespace forge {
namespace {

namespace fs = std::filesystem;

bool has_wildcard(const std::string& component) {
  return component.find_first_of("*?[\\") != std::string::npos;
}

// Splits on '/' and drops empty components, so "a//b/" reads as "a/b".
std::vector<std::string> split_components(const std::string& pattern) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= pattern.size()) {
    std::size_t end = pattern.find('/', start);
    if (end == std::string::npos) end = pattern.size();
    if (end > start) parts.push_back(pattern.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

bool is_folder(const fs::path& path) {
  std::error_code ignored;
  return fs::is_directory(path, ignored);
}

bool is_file_entry(const fs::path& path) {
  std::error_code ignored;
  fs::file_status status = fs::status(path, ignored);
  return fs::exists(status) && !fs::is_directory(status);
}

// The entries of `folder`, sorted; an unreadable folder is an error, not an empty match.
std::vector<fs::path> list_folder(const fs::path& folder, const std::string& pattern) {
  std::error_code error;
  std::vector<fs::path> entries;
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    entries.push_back(it->path());
  }
  if (error) {
    throw Error(cat("cannot list folder '", folder.string(), "' while expanding '", pattern,
                    "': ", error.message()));
  }
  std::sort(entries.begin(), entries.end());
  return entries;
}

// Why the fixed leading folder can't hold matches, or "" when it exists.
std::string folder_problem(const fs::path& start) {
  fs::path prefix;
  for (const fs::path& part : start) {
    prefix /= part;
    if (is_folder(prefix)) continue;
    return is_file_entry(prefix) ? cat("'", prefix.string(), "' is a file, not a folder")
                                 : cat("folder '", prefix.string(), "' does not exist");
  }
  return {};
}

class Matcher {
 public:
  Matcher(std::string pattern, std::vector<std::string> parts)
      : pattern_(std::move(pattern)), parts_(std::move(parts)) {}

  std::vector<fs::path> run(const fs::path& start, std::size_t first) {
    walk(start, first);
    return std::move(found_);
  }

 private:
  // Matches parts_[index...] below `base` (an empty base means the current folder).
  void walk(const fs::path& base, std::size_t index) {
    const std::string& part = parts_[index];
    bool last = index + 1 == parts_.size();
    if (part == "**") {
      // Zero folders here, then one more level of (non-hidden, non-symlinked) folders.
      if (last) {
        match_entries(base, "*", index, true);
      } else {
        walk(base, index + 1);
      }
      for (const fs::path& entry : list_folder(folder(base), pattern_)) {
        std::error_code ignored;
        if (entry.filename().string()[0] == '.' || fs::is_symlink(entry, ignored)) continue;
        if (is_folder(entry)) walk(base / entry.filename(), index);
      }
      return;
    }
    if (!has_wildcard(part)) {
      fs::path next = base / part;
      if (last ? is_file_entry(next) : is_folder(next)) advance(next, index);
      return;
    }
    match_entries(base, part, index, last);
  }

  void match_entries(const fs::path& base, const std::string& part, std::size_t index, bool last) {
    for (const fs::path& entry : list_folder(folder(base), pattern_)) {
      std::string name = entry.filename().string();
      if (::fnmatch(part.c_str(), name.c_str(), FNM_PERIOD) != 0) continue;
      fs::path next = base / name;
      if (last ? is_file_entry(next) : is_folder(next)) advance(next, index);
    }
  }

  void advance(const fs::path& next, std::size_t index) {
    if (index + 1 == parts_.size()) {
      found_.push_back(next);
    } else {
      walk(next, index + 1);
    }
  }

  static fs::path folder(const fs::path& base) { return base.empty() ? fs::path(".") : base; }

  std::string pattern_;
  std::vector<std::string> parts_;
  std::vector<fs::path> found_;
};

}  // namespace

std::vector<fs::path> expand_glob(const std::string& pattern) {
  std::vector<std::string> parts = split_components(pattern);
  if (parts.empty()) throw Error(cat("no files match '", pattern, "': the pattern is empty"));

  // The fixed leading folder: everything before the first component with a wildcard.
  fs::path start = pattern[0] == '/' ? fs::path("/") : fs::path();
  std::size_t first = 0;
  while (first + 1 < parts.size() && !has_wildcard(parts[first])) start /= parts[first++];

  std::string problem = folder_problem(start);
  if (!has_wildcard(parts.back()) && first + 1 == parts.size()) {
    fs::path file = start / parts.back();
    if (is_file_entry(file)) return {file};
    if (problem.empty()) {
      problem = is_folder(file) ? cat("it is a folder; use '", pattern, "/*' for its files")
                                : std::string("no such file");
    }
  }
  if (!problem.empty()) throw Error(cat("no files match '", pattern, "': ", problem));

  std::vector<fs::path> found = Matcher(pattern, parts).run(start, first);
  if (found.empty()) throw Error(cat("no files match '", pattern, "'"));
  // Byte order of the whole path, so callers can use the strings as sorted names.
  std::sort(found.begin(), found.end(),
            [](const fs::path& a, const fs::path& b) { return a.native() < b.native(); });
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

}  // namespace forge

namespace forge {

std::vector<std::string> expand_globs(const std::vector<std::string>& patterns) {
  std::vector<std::string> names;
  for (const std::string& pattern : patterns)
    for (const std::filesystem::path& file : expand_glob(pattern)) names.push_back(file.string());
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

}  // namespace forge
