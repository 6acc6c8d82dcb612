#pragma once

#include <forge/export.h>
#include <forge/node.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace forge {

// A validated recipe section as a plugin or stage sees it: typed getters by key, and located
// errors. Validation has already filled in defaults, so a getter fails only on a schema bug.
class FORGE_API Config {
 public:
  Config(const Node& node, std::string path);

  const Node& node() const { return *node_; }
  // The key path of this section in the recipe, e.g. "steps[1]".
  const std::string& path() const { return path_; }

  // True when `key` is present and not null.
  bool has(std::string_view key) const;
  std::string string(std::string_view key) const;
  std::int64_t integer(std::string_view key) const;
  double number(std::string_view key) const;
  bool boolean(std::string_view key) const;
  std::vector<std::string> strings(std::string_view key) const;
  std::vector<double> numbers(std::string_view key) const;
  Config section(std::string_view key) const;
  std::vector<Config> sections(std::string_view key) const;

  // The location of `key`'s value, or of this section when `key` is absent.
  Location location(std::string_view key = {}) const;
  std::string key_path(std::string_view key) const;
  // Throws forge::Error "file:line:col: path.key: message" for checks a schema can't express.
  [[noreturn]] void fail(std::string_view key, std::string_view message) const;

 private:
  const Node& at(std::string_view key) const;

  const Node* node_;
  std::string path_;
};

}  // namespace forge
