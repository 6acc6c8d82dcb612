#include "warc_stream.h"

#include <forge/error.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace forge::warc {
namespace {

constexpr std::size_t kInputBytes = 256 << 10;
constexpr std::size_t kMinFree = 128 << 10;  // the least room one inflate or read call gets

bool is_gzip_magic(const unsigned char* p) { return p[0] == 0x1f && p[1] == 0x8b && p[2] == 8; }

}  // namespace

WarcStream::WarcStream(const std::filesystem::path& file) : file_(file.string()) {
  fd_ = ::open(file_.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat info {};
  if (fd_ < 0 || ::fstat(fd_, &info) != 0) {
    std::string why = std::strerror(errno);
    if (fd_ >= 0) ::close(fd_);
    throw Error(cat("warc: cannot open '", file_, "': ", why, "; check the path and permissions"));
  }
  file_size_ = static_cast<std::uint64_t>(info.st_size);
  unsigned char magic[2] = {0, 0};
  gzip_ = ::pread(fd_, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  if (gzip_) {
    in_.resize(kInputBytes);
    if (inflateInit2(&zs_, 15 + 16) != Z_OK) {
      ::close(fd_);
      throw Error(cat("warc: cannot start zlib for '", file_, "'"));
    }
  }
  out_.resize(kMinFree * 2);
}

WarcStream::~WarcStream() {
  if (gzip_) inflateEnd(&zs_);
  ::close(fd_);
}

std::size_t WarcStream::fill(std::size_t n) {
  while (out_end_ - out_pos_ < n && !damaged_ && !eof_) produce(n);
  return out_end_ - out_pos_;
}

void WarcStream::consume(std::size_t n) {
  out_pos_ += std::min(n, out_end_ - out_pos_);
  const std::uint64_t here = offset();
  while (members_.size() > 1 && members_[1].uncompressed <= here) members_.pop_front();
}

std::uint64_t WarcStream::skip(std::uint64_t n) {
  std::uint64_t done = 0;
  while (done < n) {
    if (out_pos_ == out_end_ && !gzip_ && !eof_) {
      // Plain files jump over long blocks instead of reading them.
      const std::uint64_t position = out_offset_ + out_end_;
      const std::uint64_t jump = std::min(n - done, file_size_ - std::min(file_size_, position));
      if (jump > kMinFree && ::lseek(fd_, static_cast<off_t>(position + jump), SEEK_SET) >= 0) {
        out_offset_ = position + jump;
        out_pos_ = out_end_ = 0;
        done += jump;
        continue;
      }
    }
    const std::size_t held = fill(1);
    if (held == 0) break;
    const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(held, n - done));
    consume(take);
    done += take;
  }
  return done;
}

std::uint64_t WarcStream::file_offset() const {
  if (!gzip_) return offset();
  const std::uint64_t here = offset();
  std::uint64_t found = members_.empty() ? input_offset() : members_.front().compressed;
  for (const Member& member : members_) {
    if (member.uncompressed > here) break;
    found = member.compressed;
  }
  return found;
}

void WarcStream::recover() {
  if (!damaged_) return;
  out_pos_ = out_end_;
  damaged_ = false;
  damage_.clear();
  member_active_ = false;
  members_.clear();
  // Search from just after the damaged member's start: its corrupt data may have run past the
  // start of the next member before zlib noticed.
  seek_input(bad_member_compressed_ + 1);
  if (!find_member()) eof_ = true;
}

void WarcStream::make_room(std::size_t n) {
  if (out_pos_ == out_end_) {
    out_offset_ += out_pos_;
    out_pos_ = out_end_ = 0;
  }
  if (out_.size() - out_end_ >= kMinFree && out_.size() - out_pos_ >= n) return;
  const std::size_t held = out_end_ - out_pos_;
  if (out_pos_ > 0) {
    std::memmove(out_.data(), out_.data() + out_pos_, held);
    out_offset_ += out_pos_;
    out_pos_ = 0;
    out_end_ = held;
  }
  const std::size_t want = std::max(n, held) + kMinFree;
  if (out_.size() < want) out_.resize(std::max(want, out_.size() * 2));
}

void WarcStream::produce(std::size_t n) {
  make_room(n);
  char* free_space = out_.data() + out_end_;
  const std::size_t room = out_.size() - out_end_;
  if (!gzip_) {
    ssize_t got;
    do {
      got = ::read(fd_, free_space, room);
    } while (got < 0 && errno == EINTR);
    if (got < 0) throw Error(cat("warc: cannot read '", file_, "': ", std::strerror(errno)));
    if (got == 0) eof_ = true;
    out_end_ += static_cast<std::size_t>(got);
    return;
  }
  if (!member_active_ && !start_member()) return;
  if (in_pos_ == in_end_ && !refill_input()) {
    fail("the file ends inside a gzip member (cut short)");
    return;
  }
  zs_.next_in = in_.data() + in_pos_;
  zs_.avail_in = static_cast<uInt>(in_end_ - in_pos_);
  zs_.next_out = reinterpret_cast<Bytef*>(free_space);
  zs_.avail_out = static_cast<uInt>(std::min<std::size_t>(room, 1u << 30));
  const int status = inflate(&zs_, Z_NO_FLUSH);
  in_pos_ = static_cast<std::size_t>(zs_.next_in - in_.data());
  out_end_ = static_cast<std::size_t>(reinterpret_cast<char*>(zs_.next_out) - out_.data());
  if (status == Z_STREAM_END) {
    member_active_ = false;
  } else if (status != Z_OK && status != Z_BUF_ERROR) {
    fail(cat("corrupt gzip data (", zs_.msg != nullptr ? zs_.msg : "zlib error", ")"));
  }
}

bool WarcStream::refill_input() {
  if (in_pos_ > 0) {
    std::memmove(in_.data(), in_.data() + in_pos_, in_end_ - in_pos_);
    in_file_offset_ += in_pos_;
    in_end_ -= in_pos_;
    in_pos_ = 0;
  }
  if (in_end_ == in_.size()) return true;
  ssize_t got;
  do {
    got = ::read(fd_, in_.data() + in_end_, in_.size() - in_end_);
  } while (got < 0 && errno == EINTR);
  if (got < 0) throw Error(cat("warc: cannot read '", file_, "': ", std::strerror(errno)));
  in_end_ += static_cast<std::size_t>(got);
  return got > 0;
}

bool WarcStream::start_member() {
  while (in_end_ - in_pos_ < 3 && refill_input()) {
  }
  const std::size_t have = in_end_ - in_pos_;
  if (have == 0) {
    eof_ = true;
    return false;
  }
  if (have < 3 || !is_gzip_magic(in_.data() + in_pos_)) {
    damaged_ = true;
    damage_ = "bytes that are not gzip data follow a gzip member";
    bad_member_compressed_ = input_offset();
    bad_member_start_ = out_offset_ + out_end_;
    return false;
  }
  inflateReset(&zs_);
  members_.push_back({out_offset_ + out_end_, input_offset()});
  member_active_ = true;
  return true;
}

bool WarcStream::find_member() {
  for (;;) {
    while (in_end_ - in_pos_ < 3 && refill_input()) {
    }
    if (in_end_ - in_pos_ < 3) return false;
    const unsigned char* begin = in_.data() + in_pos_;
    const std::size_t span = in_end_ - in_pos_ - 2;
    const auto* hit = static_cast<const unsigned char*>(std::memchr(begin, 0x1f, span));
    if (hit == nullptr) {
      in_pos_ += span;
      continue;
    }
    in_pos_ = static_cast<std::size_t>(hit - in_.data());
    if (is_gzip_magic(hit)) return true;
    ++in_pos_;
  }
}

void WarcStream::seek_input(std::uint64_t position) {
  if (position >= in_file_offset_ && position <= in_file_offset_ + in_end_) {
    in_pos_ = static_cast<std::size_t>(position - in_file_offset_);
    return;
  }
  if (::lseek(fd_, static_cast<off_t>(position), SEEK_SET) < 0)
    throw Error(cat("warc: cannot seek in '", file_, "': ", std::strerror(errno)));
  in_file_offset_ = position;
  in_pos_ = in_end_ = 0;
}

void WarcStream::fail(std::string what) {
  damaged_ = true;
  damage_ = std::move(what);
  member_active_ = false;
  if (!members_.empty()) {
    bad_member_compressed_ = members_.back().compressed;
    bad_member_start_ = members_.back().uncompressed;
  }
}

}  // namespace forge::warc
