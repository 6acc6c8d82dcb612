#include "warc_document.h"

#include "charset.h"
#include "http_payload.h"
#include "warc_reader.h"

#include <forge/log.h>

#include <string_view>

namespace forge::warc {
namespace {

constexpr std::size_t kHttpHeaderRoom = 64 << 10;

bool is_content_record(const std::string& type) {
  return type == "response" || type == "resource" || type == "conversion";
}

bool is_html(const std::string& essence) {
  return essence == "text/html" || essence == "application/xhtml+xml";
}

// A payload with no Content-Type at all: HTML when it opens like an HTML document.
std::string sniff_type(std::string_view payload) {
  if (payload.starts_with("\xEF\xBB\xBF")) payload.remove_prefix(3);
  const auto start = payload.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return "application/octet-stream";
  const std::string head = lowercase(payload.substr(start, 512));
  for (std::string_view opening : {"<!doctype html", "<html", "<head", "<body", "<title"})
    if (head.starts_with(opening)) return "text/html";
  if (head.starts_with("<!--") && head.find("<html") != std::string::npos) return "text/html";
  return "application/octet-stream";
}

// One record to a document, or nothing: the reasons to skip quietly are the ordinary ones (a
// 404, an image); damage is reported through the reader.
bool to_document(WarcReader& reader, WarcRecord& record, const WarcOptions& options,
                 Document& document) {
  const std::size_t max = options.max_payload_bytes;
  const bool cut = record.block_cut || record.crawler_truncated;
  std::string_view block = record.block;
  MediaType type;
  int status = -1;
  bool truncated = cut;
  std::string payload;
  const auto http_start = block.find_first_not_of("\r\n");
  const bool http = record.type == "response" && http_start != std::string_view::npos &&
                    block.substr(http_start).starts_with("HTTP/");
  if (http) {
    HttpHead head;
    std::string problem = parse_http_head(block.substr(http_start), head);
    if (!problem.empty()) {
      reader.skip_damaged(record, problem);
      return false;
    }
    status = head.status;
    if (options.only_ok_status && (status < 200 || status > 299)) return false;
    type = std::move(head.media_type);
    if (type.essence.empty()) type.essence = parse_media_type(record.identified_type).essence;
    if (!type.essence.empty() && !content_type_wanted(options.content_types, type.essence))
      return false;
    if (!codings_supported(head)) {
      log_debug("warc: skipping ", record.record_id, ": unsupported content coding");
      return false;
    }
    bool body_truncated = false;
    problem = decode_http_body(block.substr(http_start + head.body_offset), head, max, cut, payload,
                               body_truncated);
    if (!problem.empty()) {
      reader.skip_damaged(record, problem);
      return false;
    }
    truncated = truncated || body_truncated;
  } else {
    if (record.type == "response" &&
        parse_media_type(record.content_type).essence == "application/http") {
      reader.skip_damaged(record, "its block does not start with an HTTP status line");
      return false;
    }
    type = parse_media_type(record.content_type);
    if (type.essence.empty()) type.essence = parse_media_type(record.identified_type).essence;
    if (!type.essence.empty() && !content_type_wanted(options.content_types, type.essence))
      return false;
    payload.assign(block.substr(0, max));
    truncated = truncated || block.size() > max;
  }
  if (type.essence.empty()) {
    type.essence = sniff_type(payload);
    if (!content_type_wanted(options.content_types, type.essence)) return false;
  }
  const bool html = is_html(type.essence);
  std::string charset = detect_charset(payload, type.charset, html, truncated);
  document.text = decode_to_utf8(std::move(payload), charset, truncated);
  document.id = record.record_id.empty() ? cat(reader.file(), "@", record.offset)
                                         : std::move(record.record_id);
  document.url = std::move(record.target_uri);
  nlohmann::json& metadata = document.metadata;
  metadata = nlohmann::json::object();
  metadata["record_type"] = record.type;
  if (!record.date.empty()) metadata["warc_date"] = std::move(record.date);
  metadata["content_type"] = std::move(type.essence);
  if (status >= 0) metadata["http_status"] = status;
  metadata["charset"] = std::move(charset);
  if (html) metadata["html"] = true;
  if (truncated) metadata["truncated"] = true;
  return true;
}

}  // namespace

bool content_type_wanted(const std::vector<std::string>& patterns, const std::string& essence) {
  for (const std::string& pattern : patterns) {
    if (pattern == "*/*" || pattern == essence) return true;
    if (pattern.ends_with("/*") && std::string_view(essence).starts_with(
                                       std::string_view(pattern).substr(0, pattern.size() - 1)))
      return true;
  }
  return false;
}

bool read_warc_file(const std::filesystem::path& file, const WarcOptions& options,
                    const std::function<bool(Document&&)>& sink, WarcFileStats* stats) {
  const std::size_t room =
      options.max_payload_bytes + options.max_payload_bytes / 8 + kHttpHeaderRoom;
  WarcReader reader(file, [room](const WarcRecord& record) -> std::size_t {
    return is_content_record(record.type) ? room : 0;
  });
  WarcFileStats counted;
  WarcRecord record;
  bool more = true;
  while (more && reader.next(record)) {
    ++counted.by_type[record.type];
    if (!is_content_record(record.type)) continue;
    Document document;
    if (!to_document(reader, record, options, document)) continue;
    ++counted.documents;
    more = sink(std::move(document));
  }
  counted.records = reader.records();
  counted.skipped = reader.skipped();
  if (log_level() <= LogLevel::debug) {
    std::string types;
    for (const auto& [type, count] : counted.by_type)
      types += cat(types.empty() ? "" : ", ", type.empty() ? "(untyped)" : type, " ", count);
    log_debug("warc: '", reader.file(), "': ", counted.records, " records (", types, "), ",
              counted.documents, " documents, ", counted.skipped, " damaged records skipped");
  }
  if (stats != nullptr) *stats = std::move(counted);
  return more;
}

}  // namespace forge::warc
