#include "sandbox.h"

#include "confine.h"

#include <forge/error.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace forge::sandbox {
namespace {

struct Pipe {
  int read = -1, write = -1;
  Pipe() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
      throw Error(cat("python sandbox: pipe failed: ", std::strerror(errno)));
    read = fds[0];
    write = fds[1];
  }
  ~Pipe() {
    close_read();
    close_write();
  }
  void close_read() {
    if (read >= 0) close(read);
    read = -1;
  }
  void close_write() {
    if (write >= 0) close(write);
    write = -1;
  }
};

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Writes "step: errno" to the status pipe; only async-signal-safe calls.
[[noreturn]] void child_fail(int fd, const char* step, int error) {
  char message[96];
  std::size_t n = 0;
  for (const char* s = step; *s && n < 64; ++s) message[n++] = *s;
  message[n++] = ':';
  int digits[12], count = 0;
  do {
    digits[count++] = error % 10;
    error /= 10;
  } while (error > 0 && count < 12);
  while (count > 0) message[n++] = static_cast<char>('0' + digits[--count]);
  [[maybe_unused]] ssize_t written = ::write(fd, message, n);
  _exit(127);
}

void set_limit(int resource, rlim_t value) {
  rlimit limit{value, value};
  setrlimit(resource, &limit);
}

[[noreturn]] void child(const Confinement& confinement, int out_fd, int status_fd, int null_fd,
                        const char* workdir, char** argv, char** envp, const Limits& limits) {
  const char* step = "setpgid";
  if (setpgid(0, 0) != 0) child_fail(status_fd, step, errno);
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  if (dup2(null_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(out_fd, 2) < 0)
    child_fail(status_fd, "dup2", errno);
  if (chdir(workdir) != 0) child_fail(status_fd, "chdir", errno);
  // The CPU limit's soft bound sends SIGXCPU; the hard one, a second later, SIGKILL.
  const auto cpu = static_cast<rlim_t>(std::ceil(limits.cpu_seconds));
  rlimit cpu_limit{cpu, cpu + 1};
  setrlimit(RLIMIT_CPU, &cpu_limit);
  set_limit(RLIMIT_AS, limits.memory_bytes);
  set_limit(RLIMIT_FSIZE, limits.file_bytes);
  set_limit(RLIMIT_CORE, 0);
  set_limit(RLIMIT_NOFILE, 256);
  if (int error = confinement.apply(step); error != 0) child_fail(status_fd, step, error);
  execve(argv[0], argv, envp);
  child_fail(status_fd, "execve", errno);
}

// What the child reported on the status pipe before exec, or empty when exec succeeded.
std::string read_status(int fd) {
  std::string text;
  char buffer[128];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) != 0) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  return text;
}

}  // namespace

Outcome run(const std::vector<std::string>& argv, const std::vector<std::string>& env,
            const std::filesystem::path& workdir, const Limits& limits) {
  Confinement confinement(workdir);
  std::vector<std::string> args = argv, vars = env;
  std::vector<char*> argp = pointers(args), envp = pointers(vars);
  const std::string dir = workdir.string();
  const int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0)
    throw Error(cat("python sandbox: cannot open /dev/null: ", std::strerror(errno)));
  Pipe output, status;
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) {
    close(null_fd);
    throw Error(cat("python sandbox: fork failed: ", std::strerror(errno)));
  }
  if (pid == 0)
    child(confinement, output.write, status.write, null_fd, dir.c_str(), argp.data(), envp.data(),
          limits);
  setpgid(pid, pid);  // also here, so that killpg works even before the child ran
  close(null_fd);
  output.close_write();
  status.close_write();
  std::string failed = read_status(status.read);
  Outcome outcome;
  if (!failed.empty()) {
    int wstatus = 0;
    waitpid(pid, &wstatus, 0);
    throw Error("python sandbox: the child could not be confined or started (" + failed +
                ", an errno); the code was not run");
  }
  fcntl(output.read, F_SETFL, O_NONBLOCK);
  const auto deadline = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                    std::chrono::duration<double>(limits.wall_seconds));
  auto drain = [&] {
    char buffer[8192];
    ssize_t n;
    while ((n = read(output.read, buffer, sizeof buffer)) > 0) {
      const auto got = static_cast<std::size_t>(n);
      outcome.output_seen += got;
      const std::size_t room =
          limits.output_bytes - std::min(limits.output_bytes, outcome.output.size());
      outcome.output.append(buffer, std::min(room, got));
    }
    return n == 0;  // end of file: every writer is gone
  };
  int wstatus = 0;
  rusage usage{};
  bool exited = false;
  while (!exited) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      killpg(pid, SIGKILL);
      outcome.wall_timeout = true;
      wait4(pid, &wstatus, 0, &usage);
      break;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    pollfd fd{output.read, POLLIN, 0};
    poll(&fd, 1, static_cast<int>(std::clamp<long long>(left.count(), 1, 50)));
    drain();
    exited = wait4(pid, &wstatus, WNOHANG, &usage) == pid;
  }
  drain();
  killpg(pid, SIGKILL);  // whatever it left running
  outcome.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                        static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  if (WIFEXITED(wstatus)) outcome.exit_code = WEXITSTATUS(wstatus);
  if (WIFSIGNALED(wstatus)) outcome.signal = WTERMSIG(wstatus);
  return outcome;
}

}  // namespace forge::sandbox
