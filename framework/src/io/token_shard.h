#pragma once

#include <forge/export.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace forge {

// A token id as models consume it; shards store it as uint16 or uint32 (see docs/token-shards.md).
using TokenId = std::int32_t;

inline constexpr std::string_view kTokenShardMagic{"FRGTOKS\0", 8};
inline constexpr std::uint32_t kTokenShardVersion = 1;
inline constexpr std::size_t kTokenShardHeaderBytes = 64;
// TokenId is signed, so the largest id a shard may hold is INT32_MAX.
inline constexpr std::uint64_t kMaxTokenShardVocab = std::uint64_t{1} << 31;

// Bytes per stored token: 2 when every id in [0, vocab_size) fits in uint16, else 4.
constexpr std::uint32_t token_width_for(std::uint32_t vocab_size) {
  return vocab_size <= 65536 ? 2 : 4;
}

// Writes one token shard under "<file>.tmp-<pid>"; commit() fills in the header, flushes,
// fsyncs and renames it into place, so readers never see a partial shard. Destroying an
// uncommitted writer removes the temporary file.
class FORGE_API TokenShardWriter {
 public:
  TokenShardWriter(std::filesystem::path file, std::uint32_t vocab_size, TokenId end_of_text);
  ~TokenShardWriter();
  TokenShardWriter(const TokenShardWriter&) = delete;
  TokenShardWriter& operator=(const TokenShardWriter&) = delete;

  // Appends the document's tokens, then end_of_text. A document with an id outside
  // [0, vocab_size) is refused whole (forge::Error) and nothing of it is written.
  void add_document(std::span<const TokenId> tokens);
  std::uint64_t token_count() const { return token_count_; }
  void commit();

 private:
  void flush_buffer();
  [[noreturn]] void fail(const std::string& what) const;
  void discard() noexcept;

  std::filesystem::path file_;
  std::filesystem::path temp_;
  std::uint32_t vocab_size_;
  TokenId end_of_text_;
  std::uint32_t width_;
  int fd_ = -1;
  std::uint64_t token_count_ = 0;
  std::uint64_t document_count_ = 0;
  std::vector<unsigned char> buffer_;  // encoded tokens, written in large blocks
  bool committed_ = false;
};

// A token shard mapped read-only into memory; reads are plain memory copies, so any number of
// threads may call read() at once.
class FORGE_API TokenShard {
 public:
  explicit TokenShard(const std::filesystem::path& file);
  ~TokenShard();
  TokenShard(TokenShard&& other) noexcept;
  TokenShard& operator=(TokenShard&& other) noexcept;
  TokenShard(const TokenShard&) = delete;
  TokenShard& operator=(const TokenShard&) = delete;

  std::uint64_t size() const { return size_; }  // tokens, end-of-text separators included
  std::uint32_t vocab_size() const { return vocab_size_; }
  TokenId end_of_text() const { return end_of_text_; }
  std::uint32_t token_width() const { return width_; }
  const std::filesystem::path& path() const { return path_; }

  // Copies tokens [offset, offset + count) into `out`; the range must lie within the shard.
  void read(std::uint64_t offset, std::size_t count, TokenId* out) const;

 private:
  void unmap() noexcept;

  std::filesystem::path path_;
  const unsigned char* map_ = nullptr;
  std::size_t map_bytes_ = 0;
  std::uint64_t size_ = 0;
  std::uint32_t vocab_size_ = 0;
  TokenId end_of_text_ = 0;
  std::uint32_t width_ = 0;
};

}  // namespace forge
