#include "confine.h"

#include <forge/error.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <fcntl.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace forge::sandbox {
namespace {

#if defined(__x86_64__)
constexpr std::uint32_t kAuditArch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr std::uint32_t kAuditArch = AUDIT_ARCH_AARCH64;
#else
constexpr std::uint32_t kAuditArch = 0;  // no filter written for this architecture
#endif

// Landlock's file-system rights that change something, by the ABI that introduced them.
constexpr std::uint64_t kWriteRightsV1 =
    LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |
    LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |
    LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |
    LANDLOCK_ACCESS_FS_MAKE_SYM;
constexpr std::uint64_t kReferRight = 1ULL << 13;     // ABI 2
constexpr std::uint64_t kTruncateRight = 1ULL << 14;  // ABI 3

long landlock_abi() {
  return syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
}

std::uint64_t write_rights(long abi) {
  std::uint64_t rights = kWriteRightsV1;
  if (abi >= 2) rights |= kReferRight;
  if (abi >= 3) rights |= kTruncateRight;
  return rights;
}

void add_rule(int ruleset, const std::filesystem::path& path, std::uint64_t rights) {
  const int fd = open(path.c_str(), O_PATH | O_CLOEXEC);
  if (fd < 0)
    throw Error(cat("python sandbox: cannot open '", path.string(), "': ", std::strerror(errno)));
  landlock_path_beneath_attr rule{};
  rule.allowed_access = rights;
  rule.parent_fd = fd;
  const long done = syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0);
  const int saved = errno;
  close(fd);
  if (done != 0)
    throw Error(cat("python sandbox: Landlock refused a rule for '", path.string(),
                    "': ", std::strerror(saved)));
}

// System calls the child may not make; each fails with EACCES. Sockets (no network), new
// sessions or process groups (which would escape the wall-clock kill), and kernel-wide powers.
constexpr int kDenied[] = {
    __NR_socket,
    __NR_socketpair,
    __NR_setsid,
    __NR_setpgid,
    __NR_ptrace,
    __NR_process_vm_readv,
    __NR_process_vm_writev,
    __NR_mount,
    __NR_umount2,
    __NR_pivot_root,
    __NR_setns,
    __NR_bpf,
    __NR_perf_event_open,
    __NR_keyctl,
    __NR_add_key,
    __NR_request_key,
    __NR_reboot,
    __NR_init_module,
    __NR_finit_module,
    __NR_delete_module,
    __NR_swapon,
    __NR_swapoff,
    __NR_open_by_handle_at,
#ifdef __NR_io_uring_setup
    __NR_io_uring_setup,  // io_uring can open sockets behind the filter's back
#endif
};

std::vector<sock_filter> build_filter() {
  std::vector<sock_filter> f;
  auto stmt = [&](std::uint16_t code, std::uint32_t k) { f.push_back(BPF_STMT(code, k)); };
  auto jump = [&](std::uint16_t code, std::uint32_t k, std::uint8_t jt, std::uint8_t jf) {
    f.push_back(BPF_JUMP(code, k, jt, jf));
  };
  stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch));
  jump(BPF_JMP | BPF_JEQ | BPF_K, kAuditArch, 1, 0);
  stmt(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);  // another ABI's numbers: refuse outright
  stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr));
  const std::size_t denied = std::size(kDenied);
  // Layout after this point: [x32 check] [denied checks] [kill check: 4] [allow] [deny].
  std::size_t rest = denied + 4 + 1;  // instructions between the x32 check and `deny`
#if defined(__x86_64__)
  jump(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, static_cast<std::uint8_t>(rest), 0);
#endif
  for (std::size_t i = 0; i < denied; ++i) {
    --rest;
    jump(BPF_JMP | BPF_JEQ | BPF_K, static_cast<std::uint32_t>(kDenied[i]),
         static_cast<std::uint8_t>(rest), 0);
  }
  // kill(-1, ...) would signal every process the user owns.
  jump(BPF_JMP | BPF_JEQ | BPF_K, __NR_kill, 0, 2);
  stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, args[0]));
  jump(BPF_JMP | BPF_JEQ | BPF_K, 0xFFFFFFFFu, 2, 0);
  stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  stmt(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EACCES & SECCOMP_RET_DATA));
  return f;
}

}  // namespace

std::string confinement_unavailable() {
  if (kAuditArch == 0) return "no system-call filter is written for this CPU architecture";
  if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0)
    return cat("the kernel has no seccomp (", std::strerror(errno),
               "); it needs CONFIG_SECCOMP_FILTER");
  const long abi = landlock_abi();
  if (abi < 1)
    return cat("the kernel offers no Landlock (", std::strerror(errno),
               "); it needs CONFIG_SECURITY_LANDLOCK and 'landlock' in the lsm= boot list");
  return {};
}

Confinement::Confinement(const std::filesystem::path& writable) : filter_(build_filter()) {
  if (std::string why = confinement_unavailable(); !why.empty())
    throw Error("python sandbox: " + why);
  const long abi = landlock_abi();
  const std::uint64_t rights = write_rights(abi);
  // Only the first field, which every ABI knows: the kernel accepts the shorter struct.
  std::uint64_t handled_access_fs = rights;
  ruleset_fd_ = static_cast<int>(
      syscall(SYS_landlock_create_ruleset, &handled_access_fs, sizeof(handled_access_fs), 0));
  if (ruleset_fd_ < 0)
    throw Error(cat("python sandbox: Landlock refused a ruleset: ", std::strerror(errno)));
  try {
    add_rule(ruleset_fd_, writable, rights);
    std::uint64_t file_rights = LANDLOCK_ACCESS_FS_WRITE_FILE | (abi >= 3 ? kTruncateRight : 0);
    add_rule(ruleset_fd_, "/dev/null", file_rights);
  } catch (...) {
    close(ruleset_fd_);
    throw;
  }
}

Confinement::~Confinement() {
  if (ruleset_fd_ >= 0) close(ruleset_fd_);
}

int Confinement::apply(const char*& step) const noexcept {
  // With an empty bounding set and no capabilities, even root cannot lift a limit or regain
  // capabilities at exec; dropping fails harmlessly (EPERM) for other users.
  for (int cap = 0; cap <= 63; ++cap) prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  step = "capset";
  if (syscall(SYS_capset, &header, data) != 0) return errno;
  step = "no_new_privs";
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return errno;
  step = "landlock_restrict_self";
  if (syscall(SYS_landlock_restrict_self, ruleset_fd_, 0) != 0) return errno;
  sock_fprog program{static_cast<unsigned short>(filter_.size()),
                     const_cast<sock_filter*>(filter_.data())};
  step = "seccomp";
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program, 0, 0) != 0) return errno;
  return 0;
}

}  // namespace forge::sandbox
