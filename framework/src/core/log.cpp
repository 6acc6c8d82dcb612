#include <forge/log.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <mutex>

#include <unistd.h>

namespace forge {
namespace {

std::atomic<LogLevel> g_level{LogLevel::info};
std::atomic<int> g_rank{0};
std::mutex g_mutex;
std::ofstream g_file;

const char* level_tag(LogLevel level) {
  switch (level) {
    case LogLevel::debug:
      return "debug";
    case LogLevel::info:
      return "info";
    case LogLevel::warn:
      return "warning";
    case LogLevel::error:
      return "error";
  }
  return "?";
}

std::string timestamp() {
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm local{};
  localtime_r(&seconds, &local);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S", &local);
  return buffer;
}

}  // namespace

void set_log_level(LogLevel level) { g_level = level; }
void set_log_rank(int rank) { g_rank = rank; }
bool console_shows(LogLevel level) {
  return level >= g_level && (g_rank == 0 || level >= LogLevel::warn);
}
LogLevel log_level() { return g_level; }

LogLevel parse_log_level(std::string_view name) {
  for (LogLevel level : {LogLevel::debug, LogLevel::info, LogLevel::warn, LogLevel::error})
    if (name == level_tag(level)) return level;
  if (name == "warn") return LogLevel::warn;
  throw Error(cat("unknown log level '", name, "'; use debug, info, warning or error"));
}

void set_log_file(const std::filesystem::path& file) {
  std::lock_guard lock(g_mutex);
  if (g_file.is_open()) g_file.close();
  if (!file.empty()) {
    g_file.open(file, std::ios::app);
    if (!g_file) throw Error(cat("cannot open log file '", file.string(), "' for appending"));
  }
}

void log_write(LogLevel level, std::string_view message) {
  std::lock_guard lock(g_mutex);
  if (console_shows(level)) {
    // Progress bars redraw with '\r' on a terminal; start messages on a clean line there.
    static const bool terminal = ::isatty(STDERR_FILENO);
    const char* clear = terminal ? "\33[2K\r" : "";
    const std::string rank = g_rank > 0 ? cat("rank ", g_rank.load(), ": ") : "";
    if (level >= LogLevel::warn)
      std::fprintf(stderr, "%s%s%s: %.*s\n", clear, rank.c_str(), level_tag(level),
                   int(message.size()), message.data());
    else
      std::fprintf(stderr, "%s%.*s\n", clear, int(message.size()), message.data());
    std::fflush(stderr);
  }
  if (g_file.is_open()) {
    g_file << timestamp() << " [" << level_tag(level) << "] " << message << '\n';
    g_file.flush();
  }
}

}  // namespace forge
