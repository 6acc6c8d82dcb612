#include <forge/scalar.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <string>

namespace forge {
namespace {

bool plain_scalar(const Node& node) { return node.is_scalar() && !node.quoted(); }

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

std::optional<std::int64_t> as_integer(const Node& node) {
  if (!plain_scalar(node)) return std::nullopt;
  std::string text = node.text();
  text.erase(std::remove(text.begin(), text.end(), '_'), text.end());  // 1_000_000
  const char* first = text.data();
  const char* last = first + text.size();
  if (first != last && *first == '+') ++first;
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(first, last, value);
  if (error != std::errc() || end != last || first == last) return std::nullopt;
  return value;
}

std::optional<double> as_number(const Node& node) {
  if (!plain_scalar(node)) return std::nullopt;
  if (auto integer = as_integer(node)) return static_cast<double>(*integer);
  std::string text = lower(node.text());
  if (text == ".inf" || text == "+.inf") return HUGE_VAL;
  if (text == "-.inf") return -HUGE_VAL;
  if (text == ".nan") return std::nan("");
  const char* first = text.data();
  const char* last = first + text.size();
  if (first != last && *first == '+') ++first;
  double value = 0;
  auto [end, error] = std::from_chars(first, last, value);
  if (error != std::errc() || end != last || first == last) return std::nullopt;
  if (!std::isfinite(value)) return std::nullopt;  // "nan", "inf" spelt without YAML's dot
  return value;
}

std::optional<bool> as_boolean(const Node& node) {
  if (!plain_scalar(node)) return std::nullopt;
  std::string text = lower(node.text());
  if (text == "true" || text == "yes" || text == "on") return true;
  if (text == "false" || text == "no" || text == "off") return false;
  return std::nullopt;
}

}  // namespace forge
