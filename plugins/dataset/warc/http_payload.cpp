#include "http_payload.h"

#include "warc_record.h"

#include <forge/error.h>

#include <zlib.h>

#include <algorithm>
#include <cstdint>

namespace forge::warc {
namespace {

// Splits a comma-separated header value into lowercased tokens, dropping "identity".
void add_codings(std::string_view value, std::vector<std::string>& out) {
  while (!value.empty()) {
    const auto comma = value.find(',');
    std::string token = lowercase(trim(value.substr(0, comma)));
    if (!token.empty() && token != "identity") out.push_back(std::move(token));
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
}

bool parse_hex(std::string_view text, std::uint64_t& value) {
  if (text.empty() || text.size() > 15) return false;
  value = 0;
  for (char c : text) {
    int digit;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      digit = c - 'A' + 10;
    } else {
      return false;
    }
    value = value * 16 + static_cast<std::uint64_t>(digit);
  }
  return true;
}

// Undoes Transfer-Encoding: chunked. Data that ends at a chunk boundary without the final
// zero-size chunk is accepted: everything the server sent is there.
std::string dechunk(std::string_view body, bool cut, std::string& out) {
  out.clear();
  std::size_t pos = 0;
  while (pos < body.size()) {
    const std::size_t line_end = body.find('\n', pos);
    if (line_end == std::string_view::npos)
      return cut ? std::string() : "the chunked body ends inside a chunk size line";
    std::string_view line = body.substr(pos, line_end - pos);
    line = trim(line.substr(0, line.find(';')));
    std::uint64_t size = 0;
    if (!parse_hex(line, size))
      return cat("bad chunked encoding: '", line.substr(0, 20), "' is not a chunk size");
    pos = line_end + 1;
    if (size == 0) return {};
    if (body.size() - pos < size) {
      if (!cut) {
        return cat("bad chunked encoding: a chunk of ", size, " bytes runs past the end (",
                   body.size() - pos, " left)");
      }
      out.append(body.substr(pos));
      return {};
    }
    out.append(body.substr(pos, size));
    pos += size;
    if (pos < body.size() && body[pos] == '\r') ++pos;
    if (pos < body.size()) {
      if (body[pos] != '\n') return "bad chunked encoding: a chunk is not followed by a line end";
      ++pos;
    }
  }
  return {};
}

bool has_zlib_header(std::string_view data) {
  if (data.size() < 2) return false;
  const auto cmf = static_cast<unsigned char>(data[0]), flg = static_cast<unsigned char>(data[1]);
  return (cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && ((cmf << 8) | flg) % 31 == 0;
}

// Inflates gzip, zlib or raw deflate data into at most `limit` bytes. Data that is not in the
// coding at all (crawlers often store the body decoded but keep the header) passes unchanged.
std::string inflate_coding(std::string_view in, const std::string& coding, std::size_t limit,
                           bool cut, std::string& out, bool& truncated) {
  const bool gzip = coding == "gzip" || coding == "x-gzip";
  const bool looks_gzip = in.size() >= 2 && static_cast<unsigned char>(in[0]) == 0x1f &&
                          static_cast<unsigned char>(in[1]) == 0x8b;
  auto pass_through = [&] {
    out.assign(in.substr(0, limit));
    truncated = truncated || in.size() > limit;
    return std::string();
  };
  if ((gzip && !looks_gzip) || in.empty()) return pass_through();
  const int window = gzip ? 15 + 16 : (has_zlib_header(in) ? 15 : -15);
  z_stream zs{};
  if (inflateInit2(&zs, window) != Z_OK) return "zlib could not start";
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  std::size_t unread = in.size();  // beyond what avail_in (32 bits) holds
  out.resize(std::min(limit, std::max<std::size_t>(in.size() * 4, 16 << 10)));
  std::size_t produced = 0;
  int status = Z_OK;
  bool full = false;
  for (;;) {
    if (produced == out.size()) {
      if (out.size() >= limit) {
        full = true;
        break;
      }
      out.resize(std::min(limit, out.size() * 2));
    }
    if (zs.avail_in < (1u << 29)) {
      const auto step = static_cast<uInt>(std::min<std::size_t>(unread, 1u << 30));
      zs.avail_in += step;
      unread -= step;
    }
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    zs.avail_out = static_cast<uInt>(std::min<std::size_t>(out.size() - produced, 1u << 30));
    status = inflate(&zs, Z_NO_FLUSH);
    produced = static_cast<std::size_t>(reinterpret_cast<char*>(zs.next_out) - out.data());
    // Out of room: grow and go on. Otherwise the stream ended, failed, or its input ran out.
    if ((status == Z_OK || status == Z_BUF_ERROR) && (zs.avail_out == 0 || unread > 0)) continue;
    break;
  }
  truncated = truncated || full;
  const bool ended = status == Z_STREAM_END || full;
  const bool error = status != Z_STREAM_END && status != Z_OK && status != Z_BUF_ERROR;
  const std::string message = zs.msg != nullptr ? zs.msg : "";
  inflateEnd(&zs);
  out.resize(produced);
  if (error && produced == 0 && !gzip) return pass_through();
  if (error) return cat("corrupt ", coding, " content (", message, ")");
  if (!ended) {
    if (!cut) return cat("the ", coding, " content ends early");
    truncated = true;
  }
  return {};
}

}  // namespace

MediaType parse_media_type(std::string_view value) {
  MediaType type;
  const auto semicolon = value.find(';');
  type.essence = lowercase(trim(value.substr(0, semicolon)));
  for (auto pos = semicolon; pos != std::string_view::npos;) {
    const auto next = value.find(';', pos + 1);
    const std::string_view parameter = value.substr(pos + 1, next - pos - 1);
    pos = next;
    const auto equals = parameter.find('=');
    if (equals == std::string_view::npos || !iequals(trim(parameter.substr(0, equals)), "charset"))
      continue;
    std::string_view charset = trim(parameter.substr(equals + 1));
    if (charset.size() >= 2 && (charset.front() == '"' || charset.front() == '\''))
      charset = trim(charset.substr(1, charset.find(charset.front(), 1) - 1));
    type.charset = std::string(charset);
  }
  return type;
}

std::string parse_http_head(std::string_view block, HttpHead& head) {
  head = HttpHead{};
  const std::size_t length = header_length(block);
  if (length == 0) return "its HTTP header has no end";
  const std::size_t line_end = block.find('\n');
  const std::string_view status_line = trim(block.substr(0, line_end));
  const auto space = status_line.find(' ');
  const std::string_view code =
      space == std::string_view::npos ? std::string_view() : trim(status_line.substr(space));
  if (!status_line.starts_with("HTTP/") || code.size() < 3 ||
      !std::all_of(code.begin(), code.begin() + 3, [](char c) { return c >= '0' && c <= '9'; }) ||
      (code.size() > 3 && code[3] != ' ' && code[3] != '\t')) {
    return cat("'", status_line.substr(0, 40), "' is not an HTTP status line");
  }
  head.status = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
  head.body_offset = length;
  std::vector<std::string> transfer;
  std::size_t pos = line_end + 1;
  while (pos < length) {
    std::size_t end = block.find('\n', pos);
    std::string_view line = block.substr(pos, end - pos);
    pos = end + 1;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;  // blank, folded or broken: nothing we use
    const std::string_view name = trim(line.substr(0, colon));
    const std::string_view value = trim(line.substr(colon + 1));
    if (iequals(name, "Content-Type")) {
      // As browsers do: the last type wins, keeping an earlier charset for the same essence.
      MediaType type = parse_media_type(value);
      if (type.essence.empty()) continue;
      if (type.essence == head.media_type.essence && type.charset.empty())
        type.charset = head.media_type.charset;
      head.media_type = std::move(type);
    } else if (iequals(name, "Content-Encoding")) {
      add_codings(value, head.codings);
    } else if (iequals(name, "Transfer-Encoding")) {
      add_codings(value, transfer);
    }
  }
  for (std::string& coding : transfer) {
    if (coding == "chunked") {
      head.chunked = true;
    } else {
      head.codings.push_back(std::move(coding));
    }
  }
  return {};
}

bool codings_supported(const HttpHead& head) {
  return std::all_of(head.codings.begin(), head.codings.end(), [](const std::string& coding) {
    return coding == "gzip" || coding == "x-gzip" || coding == "deflate";
  });
}

std::string decode_http_body(std::string_view body, const HttpHead& head, std::size_t max_bytes,
                             bool cut, std::string& out, bool& truncated) {
  truncated = false;
  std::string dechunked;
  if (head.chunked) {
    std::string problem = dechunk(body, cut, dechunked);
    if (!problem.empty()) return problem;
    body = dechunked;
  }
  if (head.codings.empty()) {
    out.assign(body.substr(0, max_bytes));
    truncated = body.size() > max_bytes;
    return {};
  }
  // Codings are undone last first; an inner stage may expand, so it gets generous room.
  std::string stages[2];
  std::string_view input = body;
  std::size_t which = 0;
  for (std::size_t i = head.codings.size(); i-- > 0; which ^= 1) {
    const std::size_t limit = i == 0 ? max_bytes : max_bytes * 16;
    std::string problem =
        inflate_coding(input, head.codings[i], limit, cut || truncated, stages[which], truncated);
    if (!problem.empty()) return problem;
    input = stages[which];
  }
  out = std::move(stages[which ^ 1]);
  return {};
}

}  // namespace forge::warc
