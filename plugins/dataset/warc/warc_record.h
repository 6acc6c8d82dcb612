#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace forge::warc {

// One WARC record: the header fields the reader uses, and as much of its block as was asked for.
struct WarcRecord {
  std::string version;             // "1.0", "1.1" (and "0.18" from ClueWeb09)
  std::string type;                // WARC-Type, lowercased: response, resource, request, ...
  std::string record_id;           // WARC-Record-ID without its angle brackets
  std::string target_uri;          // WARC-Target-URI, trimmed of whitespace and angle brackets
  std::string date;                // WARC-Date as written
  std::string content_type;        // Content-Type of the block as written
  std::string identified_type;     // WARC-Identified-Payload-Type (a crawler's sniffed MIME type)
  bool crawler_truncated = false;  // WARC-Truncated: the crawler stored only part of the payload
  std::uint64_t content_length = 0;

  std::string block;       // the first block bytes the reader was asked to keep
  bool block_cut = false;  // `block` holds fewer than content_length bytes

  std::uint64_t offset = 0;       // uncompressed offset of the record's first byte
  std::uint64_t file_offset = 0;  // where it is in the file: its gzip member, or `offset`
};

// Length of a header block up to and including the blank line that ends it (CRLF or bare LF line
// ends), or 0 when `text` holds no blank line.
std::size_t header_length(std::string_view text);

// Whether `text` starts like a WARC record: "WARC/" then a digit.
bool starts_record(std::string_view text);

// Fills the header fields of `record` from a header block; returns what is wrong with it, or an
// empty string when it is usable (a version line and a Content-Length).
std::string parse_warc_header(std::string_view header, WarcRecord& record);

// ASCII helpers shared by the header parsers.
bool iequals(std::string_view a, std::string_view b);
std::string lowercase(std::string_view text);
std::string_view trim(std::string_view text);

}  // namespace forge::warc
