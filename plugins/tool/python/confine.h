#pragma once

// The kernel's confinement for one child process, prepared in the parent (allocations, files)
// and applied in the child between fork and exec with system calls alone.

#include <filesystem>
#include <string>
#include <vector>

#include <linux/filter.h>

namespace forge::sandbox {

// Empty when this kernel offers what the sandbox needs (seccomp filters, Landlock); otherwise
// why not, in words a user can act on.
std::string confinement_unavailable();

class Confinement {
 public:
  // Writes are allowed only beneath `writable` (and to /dev/null); socket creation is refused.
  explicit Confinement(const std::filesystem::path& writable);
  ~Confinement();
  Confinement(const Confinement&) = delete;
  Confinement& operator=(const Confinement&) = delete;

  // In the child after fork: drops capabilities, sets no_new_privs, restricts the file system
  // and installs the system-call filter. Returns 0, or the errno of the step that failed with
  // `step` naming it. Async-signal-safe.
  int apply(const char*& step) const noexcept;

 private:
  int ruleset_fd_ = -1;
  std::vector<sock_filter> filter_;
};

}  // namespace forge::sandbox
