#include "sweep/child_pool.h"

#include <forge/error.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <map>

extern char** environ;

namespace forge {
namespace {

volatile std::sig_atomic_t stop_signal = 0;

void on_signal(int signal) { stop_signal = signal; }

// Installs the stop handlers for the pool's lifetime and puts the previous ones back after.
class StopSignals {
 public:
  StopSignals() {
    stop_signal = 0;
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
  }
  ~StopSignals() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  struct sigaction old_int_ {
  }, old_term_{};
};

std::vector<std::string> merged_environment(const std::vector<std::string>& extra) {
  std::vector<std::string> out;
  for (char** e = environ; *e; ++e) {
    std::string entry = *e;
    std::string name = entry.substr(0, entry.find('='));
    bool replaced = false;
    for (const std::string& x : extra) replaced |= x.substr(0, x.find('=')) == name;
    if (!replaced) out.push_back(entry);
  }
  out.insert(out.end(), extra.begin(), extra.end());
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

pid_t start_child(const ChildCommand& command, std::vector<std::string>& environment) {
  std::vector<std::string> argv = command.argv;
  std::vector<char*> args = pointers(argv), env = pointers(environment);
  int out = ::open(command.output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0)
    throw Error(cat("cannot write '", command.output.string(), "': ", std::strerror(errno)));
  int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(128 + SIGTERM);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(out, 2);
    ::execve(args[0], args.data(), env.data());
    ::_exit(127);
  }
  ::close(out);
  if (in >= 0) ::close(in);
  if (pid < 0) throw Error(cat("cannot start a process: ", std::strerror(errno)));
  return pid;
}

int exit_code(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

std::string current_executable() {
  char path[4096];
  ssize_t n = ::readlink("/proc/self/exe", path, sizeof path - 1);
  if (n <= 0) throw Error("cannot find this program's path (/proc/self/exe)");
  return std::string(path, static_cast<std::size_t>(n));
}

int run_children(const std::vector<ChildCommand>& commands, const ChildPoolOptions& options) {
  StopSignals signals;
  std::vector<std::string> environment = merged_environment(options.environment);
  std::map<pid_t, std::size_t> running;
  std::size_t next = 0;
  while (next < commands.size() || !running.empty()) {
    while (!stop_signal && next < commands.size() &&
           running.size() < static_cast<std::size_t>(std::max(1, options.parallel))) {
      running[start_child(commands[next], environment)] = next;
      if (options.started) options.started(next);
      ++next;
    }
    if (stop_signal) break;
    // Polled, so a signal that lands just before the wait cannot leave it blocked.
    int status = 0;
    pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid == 0) {
      ::usleep(50 * 1000);
      continue;
    }
    if (pid < 0) {
      if (errno == EINTR) continue;
      break;
    }
    auto found = running.find(pid);
    if (found == running.end()) continue;
    std::size_t index = found->second;
    running.erase(found);
    if (options.finished) options.finished(index, exit_code(status));
  }
  if (!stop_signal) return 0;
  for (const auto& [pid, index] : running) ::kill(pid, SIGTERM);
  for (const auto& [pid, index] : running) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (options.finished) options.finished(index, exit_code(status));
  }
  return stop_signal;
}

}  // namespace forge
