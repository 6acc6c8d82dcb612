#include "warc_record.h"

#include <forge/error.h>

namespace forge::warc {
namespace {

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

// Decimal digits only, bounded well below overflow: a larger length cannot be real.
bool parse_length(std::string_view text, std::uint64_t& value) {
  if (text.empty() || text.size() > 18) return false;
  value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return true;
}

std::string_view strip_brackets(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text.front() == '<') text.remove_prefix(1);
  if (!text.empty() && text.back() == '>') text.remove_suffix(1);
  return trim(text);
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::size_t header_length(std::string_view text) {
  for (std::size_t i = text.find('\n'); i != std::string_view::npos; i = text.find('\n', i + 1)) {
    if (i + 1 < text.size() && text[i + 1] == '\n') return i + 2;
    if (i + 2 < text.size() && text[i + 1] == '\r' && text[i + 2] == '\n') return i + 3;
  }
  return 0;
}

bool starts_record(std::string_view text) {
  return text.size() >= 6 && text.substr(0, 5) == "WARC/" && text[5] >= '0' && text[5] <= '9';
}

std::string parse_warc_header(std::string_view header, WarcRecord& record) {
  std::size_t line_end = header.find('\n');
  std::string_view first = trim(header.substr(0, line_end));
  if (!starts_record(first)) return "the record does not start with a WARC/<version> line";
  record.version = std::string(first.substr(5));
  bool has_length = false;
  std::string* last_value = nullptr;  // the field a folded continuation line belongs to
  while (line_end != std::string_view::npos && line_end + 1 < header.size()) {
    const std::size_t start = line_end + 1;
    line_end = header.find('\n', start);
    std::string_view line = header.substr(
        start, line_end == std::string_view::npos ? std::string_view::npos : line_end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t') {
      if (last_value != nullptr) *last_value += cat(" ", trim(line));
      continue;
    }
    const std::size_t colon = line.find(':');
    last_value = nullptr;
    if (colon == std::string_view::npos) continue;  // not a field; tolerated
    const std::string_view name = trim(line.substr(0, colon));
    const std::string_view value = trim(line.substr(colon + 1));
    if (iequals(name, "Content-Length")) {
      if (!parse_length(value, record.content_length))
        return cat("its Content-Length '", value, "' is not a byte count");
      has_length = true;
    } else if (iequals(name, "WARC-Type")) {
      record.type = lowercase(value);
    } else if (iequals(name, "WARC-Record-ID")) {
      record.record_id = std::string(strip_brackets(value));
    } else if (iequals(name, "WARC-Target-URI")) {
      record.target_uri = std::string(strip_brackets(value));
      last_value = &record.target_uri;
    } else if (iequals(name, "WARC-Date")) {
      record.date = std::string(value);
    } else if (iequals(name, "Content-Type")) {
      record.content_type = std::string(value);
      last_value = &record.content_type;
    } else if (iequals(name, "WARC-Identified-Payload-Type")) {
      record.identified_type = std::string(value);
    } else if (iequals(name, "WARC-Truncated")) {
      record.crawler_truncated = true;
    }
  }
  if (!has_length) return "its header has no Content-Length";
  return {};
}

}  // namespace forge::warc
