#pragma once

#include <zlib.h>
#include <cerrno>
#include <cstring>
#include <string>

namespace forge {

// The last error of a zlib stream as a user can read it: strerror for I/O errors, and zlib's
// own text without the "<fd:N>: " prefix it adds for streams opened with gzdopen.
inline std::string zlib_message(gzFile file) {
  int code = Z_OK;
  const char* message = ::gzerror(file, &code);
  if (code == Z_ERRNO) return std::strerror(errno);
  std::string text = message ? message : "unknown zlib error";
  std::size_t colon = text.rfind("<fd:", 0) == 0 ? text.find(": ") : std::string::npos;
  return colon == std::string::npos ? text : text.substr(colon + 2);
}

}  // namespace forge
