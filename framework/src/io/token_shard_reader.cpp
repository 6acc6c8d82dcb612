#include <forge/error.h>

#include "io/token_shard.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bit>
#include <cerrno>
#include <cstring>
#include <utility>

namespace forge {
namespace {

std::uint64_t get_le(const unsigned char* in, int bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) value |= std::uint64_t{in[i]} << (8 * i);
  return value;
}

// Closes the descriptor on every path out of the constructor; the mapping outlives it.
struct FileDescriptor {
  int fd;
  ~FileDescriptor() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

TokenShard::TokenShard(const std::filesystem::path& file) : path_(file) {
  auto fail = [&](const std::string& what) -> Error {
    return Error(cat("token shard '", path_.string(), "' ", what));
  };
  FileDescriptor in{::open(path_.c_str(), O_RDONLY | O_CLOEXEC)};
  if (in.fd < 0) {
    if (errno == ENOENT) {
      throw fail("does not exist; check the data path, or write the shards first");
    }
    throw fail(cat("cannot be opened: ", std::strerror(errno)));
  }
  struct stat info {};
  if (::fstat(in.fd, &info) != 0) throw fail(cat("cannot be read: ", std::strerror(errno)));
  if (!S_ISREG(info.st_mode)) throw fail("is not a regular file; name a shard file");
  auto bytes = static_cast<std::uint64_t>(info.st_size);
  if (bytes < kTokenShardHeaderBytes) {
    throw fail(cat("is ", bytes, " bytes, smaller than the ", kTokenShardHeaderBytes,
                   "-byte header: it is truncated or not a token shard; write it again"));
  }
  void* map = ::mmap(nullptr, bytes, PROT_READ, MAP_SHARED, in.fd, 0);
  if (map == MAP_FAILED) throw fail(cat("cannot be mapped: ", std::strerror(errno)));
  map_ = static_cast<const unsigned char*>(map);
  map_bytes_ = bytes;
  try {
    if (std::memcmp(map_, kTokenShardMagic.data(), kTokenShardMagic.size()) != 0) {
      throw Error(cat("'", path_.string(),
                      "' is not a Forge token shard: it does not start with \"FRGTOKS\\0\"; "
                      "point the data path at Forge token shards (docs/token-shards.md)"));
    }
    auto version = get_le(map_ + 8, 4);
    if (version != kTokenShardVersion) {
      throw fail(cat("has format version ", version, ", but this Forge reads version ",
                     kTokenShardVersion, " only; write the shard again with this Forge"));
    }
    width_ = static_cast<std::uint32_t>(get_le(map_ + 12, 4));
    size_ = get_le(map_ + 16, 8);
    auto end_of_text = get_le(map_ + 24, 4);
    vocab_size_ = static_cast<std::uint32_t>(get_le(map_ + 28, 4));
    if (vocab_size_ == 0 || vocab_size_ > kMaxTokenShardVocab || end_of_text >= vocab_size_ ||
        width_ != token_width_for(vocab_size_)) {
      throw fail(cat("has a damaged header (token width ", width_, ", vocabulary size ",
                     vocab_size_, ", end-of-text id ", end_of_text, "); write the shard again"));
    }
    end_of_text_ = static_cast<TokenId>(end_of_text);
    std::uint64_t expected = kTokenShardHeaderBytes + size_ * width_;
    if (size_ > (bytes - kTokenShardHeaderBytes) / width_ || bytes != expected) {
      bool shorter = size_ > (bytes - kTokenShardHeaderBytes) / width_;
      throw fail(cat(shorter ? "is truncated" : "has trailing bytes", ": its header counts ", size_,
                     " tokens of ", width_, " bytes (", kTokenShardHeaderBytes, " + ", size_, " * ",
                     width_, " bytes), but the file is ", bytes, " bytes; write the shard again"));
    }
  } catch (...) {
    unmap();
    throw;
  }
}

TokenShard::~TokenShard() { unmap(); }

TokenShard::TokenShard(TokenShard&& other) noexcept
    : path_(std::move(other.path_)),
      map_(std::exchange(other.map_, nullptr)),
      map_bytes_(std::exchange(other.map_bytes_, 0)),
      size_(std::exchange(other.size_, 0)),
      vocab_size_(other.vocab_size_),
      end_of_text_(other.end_of_text_),
      width_(other.width_) {}

TokenShard& TokenShard::operator=(TokenShard&& other) noexcept {
  if (this != &other) {
    unmap();
    path_ = std::move(other.path_);
    map_ = std::exchange(other.map_, nullptr);
    map_bytes_ = std::exchange(other.map_bytes_, 0);
    size_ = std::exchange(other.size_, 0);
    vocab_size_ = other.vocab_size_;
    end_of_text_ = other.end_of_text_;
    width_ = other.width_;
  }
  return *this;
}

void TokenShard::unmap() noexcept {
  if (map_) ::munmap(const_cast<unsigned char*>(map_), map_bytes_);
  map_ = nullptr;
  map_bytes_ = 0;
}

void TokenShard::read(std::uint64_t offset, std::size_t count, TokenId* out) const {
  FORGE_CHECK(offset <= size_ && count <= size_ - offset, "reading tokens [", offset, ", ",
              offset + count, ") of token shard '", path_.string(), "' of ", size_, " tokens");
  const unsigned char* in = map_ + kTokenShardHeaderBytes + offset * width_;
  // The mapping is page aligned and the header 64 bytes, so the tokens are naturally aligned.
  static_assert(std::endian::native == std::endian::little, "token shards are little-endian");
  if (width_ == 2) {
    const auto* tokens = reinterpret_cast<const std::uint16_t*>(in);
    for (std::size_t i = 0; i < count; ++i) out[i] = static_cast<TokenId>(tokens[i]);
  } else {
    std::memcpy(out, in, count * sizeof(TokenId));
  }
}

}  // namespace forge
