#include "warc_reader.h"

#include <forge/log.h>

#include <algorithm>

namespace forge::warc {
namespace {

constexpr std::size_t kMaxHeader = 64 << 10;
constexpr std::size_t kScanBytes = 64 << 10;
constexpr std::string_view kRecordStart = "\nWARC/";

}  // namespace

WarcReader::WarcReader(const std::filesystem::path& file, BlockPolicy keep)
    : file_(file.string()), stream_(file), keep_(std::move(keep)) {}

bool WarcReader::next(WarcRecord& record) {
  for (;;) {
    skip_line_breaks();
    const std::size_t available = stream_.fill(6);
    if (available == 0) {
      if (!stream_.damaged()) return false;
      report(stream_.offset(), stream_.damage_member_offset(), stream_.damage());
      stream_.recover();
      continue;
    }
    const std::uint64_t offset = stream_.offset();
    const std::uint64_t file_offset = stream_.file_offset();
    std::string problem;
    std::size_t header_size = 0;
    if (!starts_record(std::string_view(stream_.data(), available))) {
      problem = "no WARC/<version> line where a record should start";
    } else if ((header_size = find_header(problem)) > 0) {
      record.block.clear();
      std::string block = std::move(record.block);  // keeps its capacity for the next record
      record = WarcRecord{};
      record.block = std::move(block);
      problem = parse_warc_header(std::string_view(stream_.data(), header_size), record);
    }
    if (!problem.empty()) {
      report(offset, file_offset, problem);
      stream_.consume(1);
      skip_to_next_record();
      continue;
    }
    quiet_ = false;
    stream_.consume(header_size);
    record.offset = offset;
    record.file_offset = file_offset;

    const auto keep =
        static_cast<std::size_t>(std::min<std::uint64_t>(keep_(record), record.content_length));
    while (record.block.size() < keep) {
      const std::size_t held = stream_.fill(1);
      if (held == 0) break;
      const std::size_t take = std::min(held, keep - record.block.size());
      record.block.append(stream_.data(), take);
      stream_.consume(take);
    }
    std::uint64_t got = record.block.size();
    if (got == keep) got += stream_.skip(record.content_length - keep);
    if (got < record.content_length) {
      report(offset, file_offset,
             stream_.damaged() ? stream_.damage()
                               : cat("its Content-Length ", record.content_length,
                                     " runs past the end of the file (", got, " bytes there)"));
      continue;
    }
    record.block_cut = keep < record.content_length;

    // A sound record is followed by line breaks and the next record (or the end of the file).
    const std::uint64_t block_end = stream_.offset();
    skip_line_breaks();
    const std::size_t after = stream_.fill(6);
    if (after < 6 && stream_.damaged()) {
      // Damage that begins after the block is the next record's problem, not this one's.
      if (stream_.damaged_since() < block_end) {
        report(offset, file_offset, stream_.damage());
        continue;
      }
    } else if (after > 0 && !starts_record(std::string_view(stream_.data(), after))) {
      report(offset, file_offset,
             cat("its block is not followed by the next record, so its Content-Length ",
                 record.content_length, " is wrong"));
      skip_to_next_record();
      continue;
    }
    ++records_;
    return true;
  }
}

void WarcReader::skip_damaged(const WarcRecord& record, std::string_view reason) {
  const bool quiet = quiet_;
  quiet_ = false;
  report(record.offset, record.file_offset, reason);
  quiet_ = quiet;
}

std::size_t WarcReader::find_header(std::string& problem) {
  std::size_t want = 4096;
  for (;;) {
    const std::size_t available = stream_.fill(want);
    const std::size_t length =
        header_length(std::string_view(stream_.data(), std::min(available, kMaxHeader)));
    if (length > 0) return length;
    if (available < want) {
      problem = stream_.damaged() ? stream_.damage() : "the file ends inside its header";
      return 0;
    }
    if (want >= kMaxHeader) {
      problem = "its header does not end within 64 KiB";
      return 0;
    }
    want = std::min(want * 4, kMaxHeader);
  }
}

void WarcReader::skip_line_breaks() {
  for (;;) {
    const std::size_t available = stream_.fill(1);
    const char* data = stream_.data();
    std::size_t i = 0;
    while (i < available && (data[i] == '\r' || data[i] == '\n')) ++i;
    stream_.consume(i);
    if (i < available || available == 0) return;
  }
}

void WarcReader::skip_to_next_record() {
  for (;;) {
    const std::size_t available = stream_.fill(kScanBytes);
    if (available == 0) return;
    const std::string_view text(stream_.data(), available);
    for (auto hit = text.find(kRecordStart); hit != std::string_view::npos;
         hit = text.find(kRecordStart, hit + 1)) {
      if (starts_record(text.substr(hit + 1))) {
        stream_.consume(hit + 1);
        return;
      }
    }
    if (available < kScanBytes) {  // the segment ends here: nothing more to search
      stream_.consume(available);
      return;
    }
    stream_.consume(available - kRecordStart.size() - 1);  // a match may straddle the refill
  }
}

void WarcReader::report(std::uint64_t offset, std::uint64_t file_offset, std::string_view reason) {
  if (quiet_) return;
  quiet_ = true;
  ++skipped_;
  const std::string where =
      stream_.gzip() ? cat("byte ", file_offset, " (gzip member; uncompressed byte ", offset, ")")
                     : cat("byte ", offset);
  log_warn("warc: skipped a damaged record in '", file_, "' at ", where, ": ", reason, " (",
           skipped_, skipped_ == 1 ? " record" : " records", " skipped in this file so far)");
}

}  // namespace forge::warc
