#include "recipe/check_value.h"

#include <forge/error.h>
#include <forge/scalar.h>

#include "recipe/recipe.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace forge {
namespace {

std::string format_bound(double value) {
  char buffer[64];
  if (std::abs(value) < 1e15 && value == std::floor(value)) {
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
    return buffer;
  }
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  return buffer;
}

// " >= 1", " <= 5", " in [0, 1]" or "".
std::string bounds(const Param& param) {
  if (param.min && param.max)
    return cat(" in [", format_bound(*param.min), ", ", format_bound(*param.max), "]");
  if (param.min) return cat(" >= ", format_bound(*param.min));
  if (param.max) return cat(" <= ", format_bound(*param.max));
  return "";
}

bool in_bounds(double value, const Param& param) {
  // Written so that NaN fails any bound.
  if (param.min && !(value >= *param.min)) return false;
  if (param.max && !(value <= *param.max)) return false;
  return true;
}

bool looks_like_big_integer(const std::string& text) {
  std::size_t digits = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if ((c == '-' || c == '+') && i == 0) continue;
    if (c == '_') continue;
    if (c < '0' || c > '9') return false;
    ++digits;
  }
  return digits > 0;
}

// A hint for a quoted value that would have been fine without its quotes.
template <class Reader>
std::string quote_hint(const Node& value, Reader read) {
  if (!value.is_scalar() || !value.quoted()) return "";
  if (!read(Node::scalar(value.text()))) return "";
  return " (it is quoted, so it is a string; remove the quotes)";
}

std::string found(const Node& value) { return cat(", found ", value.describe()); }

std::optional<std::string> check_string(const Node& value, const Param& param) {
  if (!value.is_scalar()) return cat("expected a string", found(value));
  if (param.choices.empty()) return std::nullopt;
  for (const std::string& choice : param.choices)
    if (choice == value.text()) return std::nullopt;
  std::string listed;
  for (const std::string& choice : param.choices)
    listed += (listed.empty() ? "'" : ", '") + choice + "'";
  std::string close = closest_match(value.text(), param.choices);
  return cat("expected one of ", listed, found(value),
             close.empty() ? "" : cat("; did you mean '", close, "'?"));
}

std::optional<std::string> check_integer(const Node& value, const Param& param) {
  std::optional<std::int64_t> integer = as_integer(value);
  if (!integer) {
    std::string hint = quote_hint(value, [](const Node& n) { return as_integer(n).has_value(); });
    if (hint.empty() && value.is_scalar() && !value.quoted() &&
        looks_like_big_integer(value.text()))
      hint = " (too large for a 64-bit integer)";
    return cat("expected an integer", bounds(param), found(value), hint);
  }
  if (!in_bounds(static_cast<double>(*integer), param))
    return cat("expected an integer", bounds(param), found(value));
  return std::nullopt;
}

std::optional<std::string> check_number(const Node& value, const Param& param) {
  std::optional<double> number = as_number(value);
  if (!number || !in_bounds(*number, param)) {
    std::string hint =
        number ? "" : quote_hint(value, [](const Node& n) { return as_number(n).has_value(); });
    return cat("expected a number", bounds(param), found(value), hint);
  }
  return std::nullopt;
}

std::optional<std::string> check_boolean(const Node& value) {
  if (as_boolean(value)) return std::nullopt;
  std::string hint = quote_hint(value, [](const Node& n) { return as_boolean(n).has_value(); });
  return cat("expected true or false", found(value), hint);
}

}  // namespace

std::optional<std::string> check_scalar(const Node& value, const Param& param, ParamType type) {
  switch (type) {
    case ParamType::string:
      return check_string(value, param);
    case ParamType::integer:
      return check_integer(value, param);
    case ParamType::number:
      return check_number(value, param);
    case ParamType::boolean:
      return check_boolean(value);
    default:
      break;
  }
  return std::nullopt;
}

}  // namespace forge
