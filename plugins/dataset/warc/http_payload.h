#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace forge::warc {

// A Content-Type value: its essence ("type/subtype", lowercased) and charset parameter (as
// written, unquoted; empty when absent).
struct MediaType {
  std::string essence;
  std::string charset;
};
MediaType parse_media_type(std::string_view value);

// An HTTP response's status line and the headers that say how to read its body.
struct HttpHead {
  int status = 0;
  MediaType media_type;              // several Content-Type headers merge as browsers merge them
  bool chunked = false;              // Transfer-Encoding: chunked
  std::vector<std::string> codings;  // content (then transfer) codings, lowercased, as applied
  std::size_t body_offset = 0;       // where the body starts in the block
};

// Parses the status line and headers at the start of a response record's block; returns what is
// wrong with them, or an empty string.
std::string parse_http_head(std::string_view block, HttpHead& head);

// Whether decode_http_body can undo every coding of the body (gzip, x-gzip, deflate).
bool codings_supported(const HttpHead& head);

// The body as the server meant it: chunked transfer coding and gzip/deflate codings undone, at
// most `max_bytes` kept (then `truncated` is set). `cut`: the body is known to be incomplete, so
// it may end early. Returns what is wrong with the body, or an empty string.
std::string decode_http_body(std::string_view body, const HttpHead& head, std::size_t max_bytes,
                             bool cut, std::string& out, bool& truncated);

}  // namespace forge::warc
