#pragma once

#include <forge/export.h>

#include <sstream>
#include <stdexcept>
#include <string>

namespace forge {

// Bad input or a failure the user can act on: the message says what, where and how to fix it.
class FORGE_API Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Concatenates its arguments with operator<<; the project's one string formatter.
template <class... Args>
std::string cat(const Args&... args) {
  std::ostringstream out;
  (out << ... << args);
  return out.str();
}

// `value` with `digits` decimals ("0.250"), for log lines and tables.
inline std::string fixed(double value, int digits) {
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(digits);
  out << value;
  return out.str();
}

namespace detail {
[[noreturn]] FORGE_API void check_failed(const char* expr, const char* file, int line,
                                         const std::string& message);
}  // namespace detail

}  // namespace forge

// An internal invariant: a failure is a bug in Forge or a plugin, so it aborts with file:line.
#define FORGE_CHECK(cond, ...)                                                             \
  do {                                                                                     \
    if (!(cond))                                                                           \
      ::forge::detail::check_failed(#cond, __FILE__, __LINE__, ::forge::cat(__VA_ARGS__)); \
  } while (0)
