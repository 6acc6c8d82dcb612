// Tool `python`: runs the model's code with Python 3 in a sandboxed child process (no network,
// writes only to its own temporary folder, CPU, memory, wall-clock and output limits).
#include <forge/log.h>
#include <forge/tool.h>

#include "confine.h"
#include "sandbox.h"

#include <cmath>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <unistd.h>

namespace forge {
namespace {

namespace fs = std::filesystem;

std::string seconds_text(double s) {
  std::ostringstream out;
  out << s << " s";
  return out.str();
}

// `name` itself when it has a slash, else the first executable of that name on PATH.
fs::path find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return access(name.c_str(), X_OK) == 0 ? name : "";
  const char* path = std::getenv("PATH");
  std::stringstream folders(path ? path : "/usr/bin:/bin");
  for (std::string folder; std::getline(folders, folder, ':');) {
    fs::path candidate = fs::path(folder.empty() ? "." : folder) / name;
    if (access(candidate.c_str(), X_OK) == 0) return fs::absolute(candidate);
  }
  return {};
}

// The length of `text` without a UTF-8 character cut short at its end.
std::size_t complete_prefix(const std::string& text) {
  std::size_t i = text.size();
  while (i > 0 && (static_cast<unsigned char>(text[i - 1]) & 0xC0) == 0x80) --i;
  if (i == 0) return text.size();
  const auto lead = static_cast<unsigned char>(text[i - 1]);
  const std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  return i - 1 + length > text.size() ? i - 1 : text.size();
}

// A fresh folder for one run, removed (whatever the code did to its permissions) afterwards.
class WorkDir {
 public:
  WorkDir() {
    std::string pattern = (fs::temp_directory_path() / "forge-python-XXXXXX").string();
    if (!mkdtemp(pattern.data()))
      throw Error(cat("python: cannot make a temporary folder in ",
                      fs::temp_directory_path().string(), ": ", std::strerror(errno)));
    path_ = pattern;
  }
  ~WorkDir() {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(path_, ec); !ec && it != fs::end(it);
         it.increment(ec))
      if (it->is_directory(ec)) fs::permissions(it->path(), fs::perms::owner_all, ec);
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

class PythonTool : public Tool {
 public:
  explicit PythonTool(const Config& config)
      : interpreter_(find_program(config.string("interpreter"))),
        seconds_(config.number("seconds")),
        cpu_seconds_(config.number("cpu_seconds")),
        memory_mb_(config.integer("memory_mb")),
        file_mb_(config.integer("file_mb")) {
    if (interpreter_.empty())
      config.fail("interpreter", cat("'", config.string("interpreter"),
                                     "' is not an executable on PATH; install Debian's python3 "
                                     "or give the interpreter's path"));
    if (std::string why = sandbox::confinement_unavailable(); !why.empty())
      log_warn("tool python: the sandbox is unavailable (", why, "); every call will be refused");
  }

  ToolResult run(const std::string& code, const ToolLimits& limits) const override {
    if (std::string why = sandbox::confinement_unavailable(); !why.empty())
      return ToolResult::error("error: the sandbox is unavailable: " + why +
                               "; the code was not run");
    sandbox::Limits bounds;
    bounds.wall_seconds = std::min(seconds_, limits.seconds);
    bounds.cpu_seconds = cpu_seconds_;
    bounds.memory_bytes = static_cast<std::size_t>(memory_mb_) << 20;
    bounds.file_bytes = static_cast<std::size_t>(file_mb_) << 20;
    bounds.output_bytes = limits.output_chars;
    sandbox::Outcome outcome;
    try {
      WorkDir dir;
      std::ofstream(dir.path() / "main.py", std::ios::binary) << code;
      const std::string home = dir.path().string();
      // -I: ignore the environment and user site; -B: no .pyc files; -u: unbuffered, so output
      // written before a limit is hit still comes back.
      outcome = sandbox::run(
          {interpreter_.string(), "-I", "-B", "-u", "-X", "utf8", "main.py"},
          {"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + home, "TMPDIR=" + home, "LANG=C.UTF-8"},
          dir.path(), bounds);
    } catch (const Error& e) {
      return ToolResult::error(std::string("error: ") + e.what());
    }
    std::string output = outcome.output;
    if (outcome.output_seen > output.size()) {
      const std::size_t cut = complete_prefix(output);
      output = output.substr(0, cut) +
               "\n[output truncated: " + std::to_string(outcome.output_seen - cut) +
               " more characters]";
    }
    // print()'s final newline is not part of the result the model reads.
    while (!output.empty() && output.back() == '\n') output.pop_back();
    std::string message = judge(outcome, bounds);
    return {output, !message.empty(), message};
  }

 private:
  // The message for the model: which limit stopped the code, or how it failed; empty when it ran.
  std::string judge(const sandbox::Outcome& outcome, const sandbox::Limits& bounds) const {
    if (outcome.wall_timeout)
      return "stopped: the code ran past its " + seconds_text(bounds.wall_seconds) +
             " wall-clock limit";
    if (outcome.signal == SIGXCPU ||
        (outcome.signal == SIGKILL && outcome.cpu_seconds >= std::ceil(cpu_seconds_)))
      return "stopped: the code used up its " + seconds_text(cpu_seconds_) + " CPU-time limit";
    if (outcome.exit_code != 0 && outcome.output.find("MemoryError") != std::string::npos)
      return "stopped: the code ran out of its " + std::to_string(memory_mb_) + " MiB memory limit";
    if (outcome.signal != 0)
      return cat("stopped: the code was killed by signal ", outcome.signal, " (",
                 strsignal(outcome.signal), ")");
    if (outcome.exit_code != 0)
      return cat("error: the code exited with status ", outcome.exit_code);
    return {};
  }

  fs::path interpreter_;
  double seconds_, cpu_seconds_;
  std::int64_t memory_mb_, file_mb_;
};

std::vector<PluginInfo> plugins() {
  Schema schema{
      param::string("interpreter").fallback("python3").doc("Python 3 executable, name or path"),
      param::number("seconds").fallback(10).range(0.1, 3600).doc(
          "wall-clock limit per call (the caller's limit applies if lower)"),
      param::number("cpu_seconds").fallback(10).range(1, 3600).doc("CPU-time limit per call"),
      param::integer("memory_mb").fallback(1024).range(64, 65536).doc("address-space limit in MiB"),
      param::integer("file_mb").fallback(16).range(0, 65536).doc(
          "largest file the code may write, in MiB")};
  return {describe_plugin<PythonTool>(
      "python", "1.0",
      "Runs Python 3 code sandboxed: no network, writes only to its temp folder, limits", schema)};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
