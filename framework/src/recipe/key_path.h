#pragma once

// Key paths shared by overrides and interpolation: "a.b.0", "a.b[0]" and "steps[1].min_chars".

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace forge {

// One step of a key path. A segment of digits ("0" or "[0]") indexes a list, or names a key "0"
// when the value there is a mapping.
struct KeySegment {
  std::string name;
  std::optional<std::size_t> index;
};

// Splits a key path into segments; nothing when it is malformed (empty, "a..b", "a[x]", "a[").
std::optional<std::vector<KeySegment>> parse_key_path(std::string_view text);

// `text` without leading and trailing spaces and tabs.
std::string trim_blanks(std::string_view text);

// The display path of a mapping's child ("optimizer.lr") and a list's item ("steps[0]").
std::string child_path(const std::string& parent, std::string_view key);
std::string item_path(const std::string& parent, std::size_t index);

}  // namespace forge
