#include <forge/error.h>

#include <cstdio>
#include <cstdlib>

namespace forge::detail {

void check_failed(const char* expr, const char* file, int line, const std::string& message) {
  std::fprintf(stderr, "forge: internal error at %s:%d: check '%s' failed%s%s\n", file, line, expr,
               message.empty() ? "" : ": ", message.c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace forge::detail
