#include <forge/error.h>
#include <forge/files.h>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <zlib.h>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "io/zlib_message.h"

namespace forge {
namespace {

constexpr std::size_t kBufferSize = 1 << 20;
constexpr std::size_t kMaxGzipWrite = 1 << 30;  // gzwrite takes an unsigned, capped at INT_MAX

}  // namespace

struct AtomicFileWriter::Impl {
  std::filesystem::path file;
  std::filesystem::path temp;
  int fd = -1;
  gzFile gz = nullptr;  // writes through a dup of fd, so fd stays open for fsync
  std::string buffer;   // plain output, written in large blocks
  bool committed = false;

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(cat("cannot write '", file.string(), "': ", what));
  }

  void write_fd(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t done = ::write(fd, bytes.data(), bytes.size());
      if (done < 0 && errno == EINTR) continue;
      if (done < 0) fail(std::strerror(errno));
      bytes.remove_prefix(static_cast<std::size_t>(done));
    }
  }

  void flush_buffer() {
    write_fd(buffer);
    buffer.clear();
  }

  void close_gzip() {
    gzFile closing = gz;
    gz = nullptr;
    int code = ::gzclose(closing);  // writes the trailer and closes the dup
    if (code != Z_OK) {
      fail(code == Z_ERRNO ? std::strerror(errno)
                           : cat("zlib error ", code, " closing the stream"));
    }
  }

  void discard() noexcept {
    if (gz) ::gzclose(gz);
    if (fd >= 0) ::close(fd);
    gz = nullptr;
    fd = -1;
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
  }
};

// Whether the "<pid>" of a temporary's name is another process still running: it may be
// writing the same file right now (ranks of one run writing its shared files).
static bool written_by_live_process(const std::string& pid_text) {
  if (pid_text.empty() || pid_text.size() > 9 ||
      pid_text.find_first_not_of("0123456789") != std::string::npos)
    return false;
  pid_t pid = static_cast<pid_t>(std::stol(pid_text));
  if (pid <= 0 || pid == ::getpid()) return false;
  return ::kill(pid, 0) == 0 || errno == EPERM;
}

// A writer killed before commit() leaves "<name>.tmp-<pid>"; the next writer of the same file
// removes it, so an interrupted and resumed task leaves no debris.
static void remove_stale_temporaries(const std::filesystem::path& file) {
  std::error_code error;
  std::string prefix = file.filename().string() + ".tmp-";
  auto folder = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) == 0 && !written_by_live_process(name.substr(prefix.size())))
      std::filesystem::remove(entry.path(), error);
  }
}

AtomicFileWriter::AtomicFileWriter(std::filesystem::path file, bool gzip)
    : impl_(std::make_unique<Impl>()) {
  Impl& out = *impl_;
  out.file = std::move(file);
  out.temp = out.file;
  out.temp += cat(".tmp-", ::getpid());
  remove_stale_temporaries(out.file);
  out.fd = ::open(out.temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (out.fd < 0) {
    out.fail(cat("cannot create temporary file '", out.temp.string(), "': ", std::strerror(errno)));
  }
  if (gzip) {
    int copy = ::dup(out.fd);
    // gzdopen's header carries no name and a zero time stamp, so output is reproducible.
    out.gz = copy < 0 ? nullptr : ::gzdopen(copy, "wb6");
    if (!out.gz) {
      int saved = errno;
      if (copy >= 0) ::close(copy);
      out.discard();
      out.fail(cat("cannot start gzip output: ", std::strerror(saved)));
    }
    ::gzbuffer(out.gz, 1 << 17);
  }
}

AtomicFileWriter::~AtomicFileWriter() {
  if (impl_ && !impl_->committed) impl_->discard();
}

void AtomicFileWriter::write(std::string_view bytes) {
  Impl& out = *impl_;
  FORGE_CHECK(!out.committed && out.fd >= 0, "write() after commit() on ", out.file.string());
  if (out.gz) {
    while (!bytes.empty()) {
      std::size_t size = std::min(bytes.size(), kMaxGzipWrite);
      if (::gzwrite(out.gz, bytes.data(), static_cast<unsigned>(size)) == 0) {
        out.fail(zlib_message(out.gz));
      }
      bytes.remove_prefix(size);
    }
    return;
  }
  if (out.buffer.size() + bytes.size() > kBufferSize) out.flush_buffer();
  if (bytes.size() >= kBufferSize) {
    out.write_fd(bytes);
  } else {
    out.buffer.append(bytes);
  }
}

void AtomicFileWriter::commit() {
  Impl& out = *impl_;
  FORGE_CHECK(!out.committed && out.fd >= 0, "commit() twice on ", out.file.string());
  if (out.gz) out.close_gzip();
  out.flush_buffer();
  if (::fsync(out.fd) != 0) out.fail(cat("cannot sync to disk: ", std::strerror(errno)));
  int fd = out.fd;
  out.fd = -1;
  if (::close(fd) != 0) out.fail(std::strerror(errno));
  if (std::rename(out.temp.c_str(), out.file.c_str()) != 0) {
    out.fail(cat("cannot rename '", out.temp.string(), "' into place: ", std::strerror(errno)));
  }
  out.committed = true;
  // Syncing the folder makes the rename itself durable; failing here loses nothing written.
  std::filesystem::path folder = out.file.has_parent_path() ? out.file.parent_path() : ".";
  int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

void write_file_atomic(const std::filesystem::path& file, std::string_view content) {
  AtomicFileWriter writer(file, false);
  writer.write(content);
  writer.commit();
}

}  // namespace forge
