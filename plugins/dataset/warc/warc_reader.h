#pragma once

#include "warc_record.h"
#include "warc_stream.h"

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace forge::warc {

// The sound records of one WARC file, in order. A damaged record (bad header, a block cut short,
// a wrong Content-Length, corrupt gzip data) is skipped with one warning naming the file and the
// record's offset, and reading goes on from the next record that can be found.
class WarcReader {
 public:
  // How many bytes of a record's block to keep, given its header (0 skips the block unread).
  using BlockPolicy = std::function<std::size_t(const WarcRecord&)>;

  WarcReader(const std::filesystem::path& file, BlockPolicy keep);

  // The next sound record; false at the end of the file.
  bool next(WarcRecord& record);
  // Skips a record whose content turned out damaged (say, bad chunked encoding): one warning.
  void skip_damaged(const WarcRecord& record, std::string_view reason);

  std::size_t records() const { return records_; }
  std::size_t skipped() const { return skipped_; }
  const std::string& file() const { return file_; }

 private:
  std::size_t find_header(std::string& problem);
  void skip_line_breaks();
  void skip_to_next_record();
  void report(std::uint64_t offset, std::uint64_t file_offset, std::string_view reason);

  std::string file_;
  WarcStream stream_;
  BlockPolicy keep_;
  std::size_t records_ = 0;
  std::size_t skipped_ = 0;
  bool quiet_ = false;  // inside a damaged stretch that was already reported
};

}  // namespace forge::warc
