#include "recipe/key_path.h"

#include <charconv>

namespace forge {
namespace {

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

// Adds one segment; false when it is empty or is not a valid index.
bool add_segment(std::vector<KeySegment>& out, std::string_view name, bool bracketed) {
  if (name.empty()) return false;
  KeySegment segment{std::string(name), std::nullopt};
  if (all_digits(name)) {
    std::size_t index = 0;
    auto [end, error] = std::from_chars(name.data(), name.data() + name.size(), index);
    if (error != std::errc() || end != name.data() + name.size()) return false;
    segment.index = index;
  } else if (bracketed) {
    return false;
  }
  out.push_back(std::move(segment));
  return true;
}

}  // namespace

std::optional<std::vector<KeySegment>> parse_key_path(std::string_view text) {
  std::vector<KeySegment> out;
  std::size_t i = 0;
  bool need_name = true;  // at the start and after '.', a plain name must follow
  while (i < text.size()) {
    if (text[i] == '[') {
      if (out.empty()) return std::nullopt;
      std::size_t close = text.find(']', i);
      if (close == std::string_view::npos) return std::nullopt;
      if (!add_segment(out, text.substr(i + 1, close - i - 1), true)) return std::nullopt;
      i = close + 1;
      if (i < text.size() && text[i] != '.' && text[i] != '[') return std::nullopt;
      need_name = false;
      continue;
    }
    if (text[i] == '.') {
      if (need_name) return std::nullopt;  // "a..b" or ".a"
      ++i;
      need_name = true;
      if (i == text.size()) return std::nullopt;  // "a."
      continue;
    }
    if (!need_name) return std::nullopt;
    std::size_t end = text.find_first_of(".[]", i);
    if (end == std::string_view::npos) end = text.size();
    if (text.substr(i, end - i).find_first_of(" \t\r\n") != std::string_view::npos)
      return std::nullopt;
    if (!add_segment(out, text.substr(i, end - i), false)) return std::nullopt;
    i = end;
    if (i < text.size() && text[i] == ']') return std::nullopt;
    need_name = false;
  }
  if (out.empty()) return std::nullopt;
  return out;
}

std::string trim_blanks(std::string_view text) {
  std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return "";
  std::size_t last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

std::string child_path(const std::string& parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return parent + "." + std::string(key);
}

std::string item_path(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

}  // namespace forge
