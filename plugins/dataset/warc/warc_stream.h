#pragma once

#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <string>
#include <vector>

namespace forge::warc {

// The bytes of a plain or gzip WARC file (chosen by content), read in pieces so that files of any
// size stream through a small buffer. Gzip input may hold one member per record (Common Crawl) or
// one stream for the whole file. A damaged member ends a "segment": the bytes before the damage
// stay readable, then recover() continues with the next gzip member found after it.
class WarcStream {
 public:
  explicit WarcStream(const std::filesystem::path& file);  // throws forge::Error
  ~WarcStream();
  WarcStream(const WarcStream&) = delete;
  WarcStream& operator=(const WarcStream&) = delete;

  bool gzip() const { return gzip_; }

  // Buffers at least `n` bytes past the read position when the segment has them; returns how
  // many are buffered (fewer than `n` only at the end of the file or at damage).
  std::size_t fill(std::size_t n);
  const char* data() const { return out_.data() + out_pos_; }
  void consume(std::size_t n);
  // Skips `n` bytes; returns how many were skipped (fewer at the end of the segment).
  std::uint64_t skip(std::uint64_t n);

  // Uncompressed offset of the read position; and where it is in the file: the offset of the
  // gzip member holding it, or the same offset for a plain file.
  std::uint64_t offset() const { return out_offset_ + out_pos_; }
  std::uint64_t file_offset() const;

  // Whether the buffered bytes end at damage rather than at the end of the file.
  bool damaged() const { return damaged_; }
  const std::string& damage() const { return damage_; }
  std::uint64_t damage_member_offset() const { return bad_member_compressed_; }
  // Uncompressed offset where the output of the damaged member began: bytes before it are sound.
  std::uint64_t damaged_since() const { return bad_member_start_; }
  // Drops the bytes left before the damage and continues at the next gzip member.
  void recover();

 private:
  struct Member {
    std::uint64_t uncompressed;
    std::uint64_t compressed;
  };

  void produce(std::size_t n);
  void make_room(std::size_t n);
  bool refill_input();
  bool start_member();
  bool find_member();
  void seek_input(std::uint64_t position);
  void fail(std::string what);
  std::uint64_t input_offset() const { return in_file_offset_ + in_pos_; }

  std::string file_;
  int fd_ = -1;
  std::uint64_t file_size_ = 0;
  bool gzip_ = false;
  bool eof_ = false;

  std::vector<unsigned char> in_;
  std::size_t in_pos_ = 0, in_end_ = 0;
  std::uint64_t in_file_offset_ = 0;  // file offset of in_[0]

  std::vector<char> out_;
  std::size_t out_pos_ = 0, out_end_ = 0;
  std::uint64_t out_offset_ = 0;  // uncompressed offset of out_[0]

  z_stream zs_{};
  bool member_active_ = false;
  std::deque<Member> members_;  // members whose output may still be buffered, oldest first

  bool damaged_ = false;
  std::string damage_;
  std::uint64_t bad_member_compressed_ = 0;
  std::uint64_t bad_member_start_ = 0;
};

}  // namespace forge::warc
