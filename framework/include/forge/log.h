#pragma once

#include <forge/error.h>
#include <forge/export.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace forge {

enum class LogLevel { debug = 0, info = 1, warn = 2, error = 3 };

FORGE_API void set_log_level(LogLevel level);
FORGE_API LogLevel log_level();
FORGE_API LogLevel parse_log_level(std::string_view name);  // throws forge::Error
// Also appends every message (all levels) to `file`; an empty path stops that.
FORGE_API void set_log_file(const std::filesystem::path& file);
// A data-parallel rank above 0 shows only warnings and errors on stderr, prefixed "rank N: ",
// so one run under mpirun reads like one process; its log file still gets everything.
FORGE_API void set_log_rank(int rank);
// Whether a message of `level` reaches stderr.
FORGE_API bool console_shows(LogLevel level);
// Writes one line to stderr (when at or above the level) and to the log file. Thread-safe.
FORGE_API void log_write(LogLevel level, std::string_view message);

template <class... Args>
void log_debug(const Args&... args) {
  if (log_level() <= LogLevel::debug) log_write(LogLevel::debug, cat(args...));
}
template <class... Args>
void log_info(const Args&... args) {
  log_write(LogLevel::info, cat(args...));
}
template <class... Args>
void log_warn(const Args&... args) {
  log_write(LogLevel::warn, cat(args...));
}
template <class... Args>
void log_error(const Args&... args) {
  log_write(LogLevel::error, cat(args...));
}

}  // namespace forge
