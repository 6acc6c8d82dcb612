#include "io/token_shard.h"

#include <forge/error.h>

#include <fcntl.h>
#include <unistd.h>
#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace forge {
namespace {

constexpr std::size_t kBufferBytes = 1 << 20;

void put_le(unsigned char* out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out[i] = static_cast<unsigned char>(value >> (8 * i));
}

std::array<unsigned char, kTokenShardHeaderBytes> encode_header(std::uint32_t width,
                                                                std::uint64_t count,
                                                                TokenId end_of_text,
                                                                std::uint32_t vocab_size) {
  std::array<unsigned char, kTokenShardHeaderBytes> header{};
  std::memcpy(header.data(), kTokenShardMagic.data(), kTokenShardMagic.size());
  put_le(header.data() + 8, kTokenShardVersion, 4);
  put_le(header.data() + 12, width, 4);
  put_le(header.data() + 16, count, 8);
  put_le(header.data() + 24, static_cast<std::uint32_t>(end_of_text), 4);
  put_le(header.data() + 28, vocab_size, 4);
  return header;
}

// A writer killed before commit() leaves "<name>.tmp-<pid>"; the next writer of the same shard
// removes it, so a resumed tokenization job leaves no debris.
void remove_stale_temporaries(const std::filesystem::path& file) {
  std::error_code error;
  std::string prefix = file.filename().string() + ".tmp-";
  auto folder = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  for (const auto& entry : std::filesystem::directory_iterator(folder, error))
    if (entry.path().filename().string().rfind(prefix, 0) == 0)
      std::filesystem::remove(entry.path(), error);
}

}  // namespace

TokenShardWriter::TokenShardWriter(std::filesystem::path file, std::uint32_t vocab_size,
                                   TokenId end_of_text)
    : file_(std::move(file)),
      vocab_size_(vocab_size),
      end_of_text_(end_of_text),
      width_(token_width_for(vocab_size)) {
  if (vocab_size_ == 0 || vocab_size_ > kMaxTokenShardVocab) {
    fail(cat("vocabulary size ", vocab_size_, " is outside [1, ", kMaxTokenShardVocab,
             "]; pass the tokenizer's vocabulary size"));
  }
  if (end_of_text_ < 0 || static_cast<std::uint32_t>(end_of_text_) >= vocab_size_) {
    fail(cat("end-of-text id ", end_of_text_, " is outside the vocabulary [0, ", vocab_size_,
             "); pass the tokenizer's end-of-text id"));
  }
  temp_ = file_;
  temp_ += cat(".tmp-", ::getpid());
  remove_stale_temporaries(file_);
  fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd_ < 0) {
    fail(cat("cannot create temporary file '", temp_.string(), "': ", std::strerror(errno),
             "; check that the folder exists and is writable"));
  }
  buffer_.reserve(kBufferBytes);
  // The header's count is unknown until commit(), which rewrites these bytes in place.
  buffer_.resize(kTokenShardHeaderBytes, 0);
}

TokenShardWriter::~TokenShardWriter() {
  if (!committed_) discard();
}

void TokenShardWriter::fail(const std::string& what) const {
  throw Error(cat("cannot write token shard '", file_.string(), "': ", what));
}

void TokenShardWriter::discard() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  std::error_code ignored;
  if (!temp_.empty()) std::filesystem::remove(temp_, ignored);
}

void TokenShardWriter::flush_buffer() {
  const unsigned char* data = buffer_.data();
  std::size_t left = buffer_.size();
  while (left > 0) {
    ssize_t done = ::write(fd_, data, left);
    if (done < 0 && errno == EINTR) continue;
    if (done < 0) fail(std::strerror(errno));
    data += done;
    left -= static_cast<std::size_t>(done);
  }
  buffer_.clear();
}

void TokenShardWriter::add_document(std::span<const TokenId> tokens) {
  FORGE_CHECK(!committed_ && fd_ >= 0, "add_document() after commit() on ", file_.string());
  // Validate first, so a refused document leaves the shard exactly as it was.
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    TokenId id = tokens[i];
    if (id < 0 || static_cast<std::uint32_t>(id) >= vocab_size_) {
      fail(cat("token id ", id, " at position ", i, " of document ", document_count_,
               " is outside the vocabulary [0, ", vocab_size_,
               "); the tokenizer and the shard's vocabulary size disagree"));
    }
  }
  auto append = [this](std::span<const TokenId> ids) {
    while (!ids.empty()) {
      std::size_t room = (kBufferBytes - buffer_.size()) / width_;
      if (room == 0) {
        flush_buffer();
        continue;
      }
      std::size_t count = std::min(room, ids.size());
      std::size_t at = buffer_.size();
      buffer_.resize(at + count * width_);
      unsigned char* out = buffer_.data() + at;
      for (std::size_t i = 0; i < count; ++i, out += width_) {
        put_le(out, static_cast<std::uint32_t>(ids[i]), static_cast<int>(width_));
      }
      ids = ids.subspan(count);
    }
  };
  append(tokens);
  append(std::span<const TokenId>(&end_of_text_, 1));
  token_count_ += tokens.size() + 1;
  ++document_count_;
}

void TokenShardWriter::commit() {
  FORGE_CHECK(!committed_ && fd_ >= 0, "commit() twice on ", file_.string());
  flush_buffer();
  auto header = encode_header(width_, token_count_, end_of_text_, vocab_size_);
  if (::pwrite(fd_, header.data(), header.size(), 0) != static_cast<ssize_t>(header.size())) {
    fail(cat("cannot write the header: ", std::strerror(errno)));
  }
  if (::fsync(fd_) != 0) fail(cat("cannot sync to disk: ", std::strerror(errno)));
  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail(std::strerror(errno));
  if (std::rename(temp_.c_str(), file_.c_str()) != 0) {
    fail(cat("cannot rename '", temp_.string(), "' into place: ", std::strerror(errno)));
  }
  committed_ = true;
  // Syncing the folder makes the rename durable; failing here loses nothing already written.
  std::filesystem::path folder = file_.has_parent_path() ? file_.parent_path() : ".";
  int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

}  // namespace forge
