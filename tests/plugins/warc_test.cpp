#include <forge/dataset.h>
#include <forge/error.h>
#include <forge/files.h>
#include <forge/log.h>

#include "support/test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace forge {
namespace {

namespace fs = std::filesystem;
using test::make_plugin;
using test::read_text;
using test::temp_dir;
using test::write_text;

constexpr std::string_view kFffdView = "\xEF\xBF\xBD";  // U+FFFD
std::string fffd() { return std::string(kFffdView); }

std::unique_ptr<Dataset> warc(const fs::path& file, const std::string& options = "") {
  return make_plugin<Dataset>("{plugin: warc, paths: '" + file.string() + "'" +
                              (options.empty() ? "" : ", " + options) + "}");
}

// Documents of every shard, with what was logged meanwhile (debug level: the per-file summary).
struct Read {
  std::vector<Document> documents;
  std::vector<std::string> warnings;
  std::string summary;  // the debug line counting the file's records
};

Read read_all(const Dataset& dataset) {
  static int counter = 0;
  const fs::path log = temp_dir("warc_log_" + std::to_string(counter++)) / "log.txt";
  const LogLevel level = log_level();
  set_log_file(log);
  set_log_level(LogLevel::debug);
  Read read;
  for (const std::string& shard : dataset.shards()) {
    dataset.read(shard, [&](Document&& document) {
      read.documents.push_back(std::move(document));
      return true;
    });
  }
  set_log_level(level);
  set_log_file({});
  std::string text = read_text(log);
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    std::string line = text.substr(start, end - start);
    start = end == std::string::npos ? text.size() : end + 1;
    if (line.find("[warning] warc:") != std::string::npos) read.warnings.push_back(line);
    if (line.find("[debug] warc: '") != std::string::npos) read.summary += line;
  }
  return read;
}

Read read_file(const fs::path& file, const std::string& options = "") {
  return read_all(*warc(file, options));
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// ---- building WARC files -------------------------------------------------------------------

std::string record(const std::string& type, const std::string& block,
                   const std::string& extra_headers = "", const std::string& id = "1") {
  return "WARC/1.1\r\nWARC-Type: " + type + "\r\nWARC-Record-ID: <urn:uuid:" + id +
         ">\r\nWARC-Date: 2024-01-02T03:04:05Z\r\nWARC-Target-URI: http://example.com/" + id +
         "\r\n" + extra_headers + "Content-Length: " + std::to_string(block.size()) + "\r\n\r\n" +
         block + "\r\n\r\n";
}

std::string http(const std::string& headers, const std::string& body, int status = 200) {
  return "HTTP/1.1 " + std::to_string(status) + " Whatever\r\n" + headers + "\r\n" + body;
}

std::string response(const std::string& headers, const std::string& body,
                     const std::string& id = "1", int status = 200) {
  return record("response", http(headers, body, status),
                "Content-Type: application/http; msgtype=response\r\n", id);
}

// gzip through forge's own writer (the tests do not link zlib themselves).
std::string gzip(const std::string& data) {
  static int counter = 0;
  const fs::path file = temp_dir("warc_gzip_" + std::to_string(counter++)) / "data.gz";
  AtomicFileWriter writer(file, true);
  writer.write(data);
  writer.commit();
  return read_text(file);
}

// Raw deflate: the gzip member without its 10-byte header (no optional fields) and 8-byte trailer.
std::string raw_deflate(const std::string& data) {
  const std::string member = gzip(data);
  EXPECT_EQ(member[3], 0) << "gzip header flags";
  return member.substr(10, member.size() - 18);
}

std::string zlib_deflate(const std::string& data) {
  std::uint32_t a = 1, b = 0;  // Adler-32
  for (unsigned char c : data) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  }
  const std::uint32_t adler = (b << 16) | a;
  std::string out = "\x78\x9c" + raw_deflate(data);
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((adler >> shift) & 0xff);
  return out;
}

fs::path write_warc(const std::string& name, const std::string& content) {
  fs::path file = temp_dir("warc_" + name) / name;
  write_text(file, content);
  return file;
}

// One synthetic response through the reader; the caller checks its document.
Document one_document(const std::string& headers, const std::string& body,
                      const std::string& options = "") {
  Read read = read_file(write_warc("one.warc", response(headers, body)), options);
  EXPECT_TRUE(read.warnings.empty()) << read.warnings.at(0);
  if (read.documents.size() != 1) {
    ADD_FAILURE() << read.documents.size() << " documents";
    return {};
  }
  return read.documents[0];
}

// ---- real files ----------------------------------------------------------------------------

// The shared WARC samples (see shared/data/README.md), beside the checkout or inside it.
fs::path samples() {
  for (const fs::path& dir : {fs::path(FORGE_SOURCE_DIR).parent_path() / "shared/data/warc",
                              fs::path(FORGE_SOURCE_DIR) / "shared/data/warc"}) {
    if (fs::exists(dir / "resiliparse-warcfile.warc.gz")) return dir;
  }
  return {};
}

#define REQUIRE_SAMPLES()                                                         \
  const fs::path data = samples();                                                \
  if (data.empty()) GTEST_SKIP() << "shared/data/warc is not there to read from"; \
  static_assert(true)

TEST(WarcSamples, CommonCrawlExcerptGivesItsSixteenHtmlResponses) {
  REQUIRE_SAMPLES();
  Read read = read_file(data / "resiliparse-warcfile.warc.gz");
  EXPECT_TRUE(read.warnings.empty());
  EXPECT_TRUE(contains(read.summary,
                       "50 records (metadata 16, request 17, response 16, "
                       "warcinfo 1), 16 documents, 0 damaged"))
      << read.summary;
  ASSERT_EQ(read.documents.size(), 16u);
  const Document& first = read.documents[0];
  EXPECT_EQ(first.id, "urn:uuid:c4c112a5-3503-4483-abf8-51a0dd86dd53");
  EXPECT_EQ(first.url, "http://003338.cn/l41/481397.html");
  EXPECT_EQ(first.metadata["warc_date"], "2020-08-08T17:27:41Z");
  EXPECT_EQ(read.documents[15].url, "http://096355.com/video/11073.html?11073-0-2");
  for (const Document& document : read.documents) {
    EXPECT_EQ(document.metadata["record_type"], "response");
    EXPECT_EQ(document.metadata["http_status"], 200);
    EXPECT_EQ(document.metadata["content_type"], "text/html");
    EXPECT_EQ(document.metadata["html"], true);
    EXPECT_FALSE(contains(document.text, fffd())) << document.url;
    EXPECT_NO_THROW(nlohmann::json(document.text).dump()) << document.url;
  }
  // Declared charsets: windows-1251 in the header; gb2312, read with the GBK decoder.
  const Document& russian = read.documents[1];
  EXPECT_EQ(russian.url, "http://01spb.ru/company/");
  EXPECT_EQ(russian.metadata["charset"], "windows-1251");
  EXPECT_TRUE(contains(russian.text, "\xD0\x9E")) << "Cyrillic capital O";
  EXPECT_EQ(read.documents[3].metadata["charset"], "gbk");
  EXPECT_EQ(read.documents[3].url, "http://037426.cn/");
}

TEST(WarcSamples, ClueWebQuirksStillRead) {
  REQUIRE_SAMPLES();
  // WARC/0.18 version lines, HTTP headers ending in bare LF, and "Content-Encoding: gzip" over
  // bodies the crawler had already decoded.
  Read read = read_file(data / "resiliparse-clueweb-quirk.warc.gz");
  EXPECT_TRUE(read.warnings.empty());
  EXPECT_TRUE(contains(read.summary, "30 records (response 29, warcinfo 1), 29 documents"))
      << read.summary;
  ASSERT_EQ(read.documents.size(), 29u);
  EXPECT_EQ(read.documents[0].url,
            "http://www.uraharajuku.st/shopdetail/001005000005/019/000/order/");
  EXPECT_EQ(read.documents[0].id, "urn:uuid:8789ea4e-e914-4ec6-8b7a-ecdd45d340a7");
  for (const Document& document : read.documents) {
    EXPECT_EQ(document.metadata["charset"], "euc-jp");
    EXPECT_TRUE(document.text.starts_with("<html>")) << document.url;
    EXPECT_FALSE(contains(document.text, fffd())) << document.url;
  }
  // "Brownie rucksack" in katakana, from an EUC-JP title.
  EXPECT_TRUE(contains(read.documents[2].text, "<title>\xE3\x83\x96\xE3\x83\xA9\xE3\x82\xA6"));
}

TEST(WarcSamples, ClippedFileWarnsOnceAndGivesNothing) {
  REQUIRE_SAMPLES();
  Read read = read_file(data / "resiliparse-clipped.warc.gz");
  EXPECT_TRUE(read.documents.empty());
  ASSERT_EQ(read.warnings.size(), 1u);
  EXPECT_TRUE(contains(read.warnings[0], "resiliparse-clipped.warc.gz' at byte 0 (gzip member"))
      << read.warnings[0];
  EXPECT_TRUE(contains(read.warnings[0], "1 record skipped in this file")) << read.warnings[0];
}

TEST(WarcSamples, TruncatedRecordIsSkippedAndItsNeighboursStillRead) {
  REQUIRE_SAMPLES();
  // The response's Content-Length is two bytes short: the bytes after its block are not a record.
  Read read = read_file(data / "warcio-example-trunc.warc");
  EXPECT_TRUE(read.documents.empty());
  ASSERT_EQ(read.warnings.size(), 1u);
  EXPECT_TRUE(contains(read.warnings[0], "warcio-example-trunc.warc' at byte 1197:"))
      << read.warnings[0];
  EXPECT_TRUE(contains(read.summary, "3 records (request 1, warcinfo 2), 0 documents, 1 damaged"))
      << read.summary;
}

TEST(WarcSamples, WarcioExamplesPlainAndGzipGiveTheSamePage) {
  REQUIRE_SAMPLES();
  std::vector<std::string> texts;
  // Per-record gzip members, one gzip stream for the whole file, and plain.
  for (const char* name : {"warcio-example.warc.gz", "warcio-example-bad-non-chunked.warc.gz",
                           "warcio-example.warc"}) {
    Read read = read_file(data / name);
    EXPECT_TRUE(read.warnings.empty()) << name;
    EXPECT_TRUE(contains(read.summary, "6 records (request 2, response 1, revisit 1, warcinfo 2)"))
        << name << ": " << read.summary;
    ASSERT_EQ(read.documents.size(), 1u) << name;
    const Document& page = read.documents[0];
    EXPECT_EQ(page.url, "http://example.com/");
    EXPECT_EQ(page.id, "urn:uuid:a9c51e3e-0221-11e7-bf66-0242ac120005");
    EXPECT_EQ(page.metadata["http_status"], 200);
    texts.push_back(page.text);
  }
  // The body is Content-Encoding: gzip on the wire.
  EXPECT_EQ(texts[0].size(), 1270u);
  EXPECT_TRUE(contains(texts[0], "<title>Example Domain</title>"));
  EXPECT_TRUE(texts[0].ends_with("</html>\n"));
  EXPECT_EQ(texts[1], texts[0]);
  EXPECT_EQ(texts[2], texts[0]);
}

TEST(WarcSamples, ChunkedResponseDecodesToTheWholePage) {
  REQUIRE_SAMPLES();
  Read read = read_file(data / "warcio-example-iana.org-chunked.warc");
  EXPECT_TRUE(read.warnings.empty());
  ASSERT_EQ(read.documents.size(), 1u);
  const Document& page = read.documents[0];
  EXPECT_EQ(page.url, "http://www.iana.org/");
  EXPECT_EQ(page.text.size(), 7223u);
  EXPECT_TRUE(page.text.starts_with("<!doctype html>\n<html>\n<head>\n\t<title>"));
  EXPECT_TRUE(page.text.ends_with("</body>\n\n</html>\n"));
  EXPECT_FALSE(contains(page.text, "\r\n0\r\n")) << "no chunk sizes left in the text";
  EXPECT_EQ(page.metadata["charset"], "utf-8");
}

TEST(WarcSamples, RecordsSplitAcrossGzipMembersStillRead) {
  REQUIRE_SAMPLES();
  // Member boundaries fall inside records, and the Content-Length misses trailing blank lines.
  Read read = read_file(data / "warcio-example-wrong-chunks.warc.gz");
  EXPECT_TRUE(read.warnings.empty());
  EXPECT_TRUE(contains(read.summary, "2 records (request 1, response 1)")) << read.summary;
  ASSERT_EQ(read.documents.size(), 1u);
  EXPECT_EQ(read.documents[0].url, "http://example.com/");
  EXPECT_TRUE(contains(read.documents[0].text, "<title>Example Domain</title>"));
}

TEST(WarcSamples, ResourceRecordsBecomeDocuments) {
  REQUIRE_SAMPLES();
  Read read = read_file(data / "warcio-example-resource.warc.gz");
  EXPECT_TRUE(read.warnings.empty());
  ASSERT_EQ(read.documents.size(), 1u);
  const Document& page = read.documents[0];
  EXPECT_EQ(page.url, "http://example.com/");
  EXPECT_EQ(page.text.size(), 1303u);
  EXPECT_TRUE(page.text.starts_with("<!DOCTYPE html><html xmlns="));
  EXPECT_EQ(page.metadata, (nlohmann::json{{"record_type", "resource"},
                                           {"warc_date", "2017-04-29T01:30:30Z"},
                                           {"content_type", "text/html"},
                                           {"charset", "utf-8"},
                                           {"html", true}}));
}

TEST(WarcSamples, TargetUriWithASpaceIsKept) {
  REQUIRE_SAMPLES();
  const fs::path file = data / "warcio-example-space-in-target-uri.warc.gz";
  EXPECT_TRUE(read_file(file).documents.empty()) << "image/png is not text by default";
  Read read = read_file(file, "content_types: ['image/*']");
  ASSERT_EQ(read.documents.size(), 1u);
  EXPECT_EQ(read.documents[0].url, "file:///example with spaces.png");
  EXPECT_EQ(read.documents[0].metadata["content_type"], "image/png");
}

TEST(WarcSamples, NoSampleCrashesOrHangsWhenTruncatedOrCorrupted) {
  REQUIRE_SAMPLES();
  std::mt19937 random(1234);
  const fs::path dir = temp_dir("warc_fuzz");
  std::vector<fs::path> files;  // sorted, so that every machine draws the same cases
  for (const auto& entry : fs::directory_iterator(data))
    if (contains(entry.path().filename().string(), ".warc")) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    const std::string name = file.filename().string();
    const std::string original = read_text(file);
    const std::size_t clean = read_file(file).documents.size();
    auto check = [&](const std::string& bytes, const std::string& what) {
      write_text(dir / name, bytes);
      Read read = read_file(dir / name);
      EXPECT_LE(read.documents.size(), clean) << name << " " << what;
      EXPECT_LE(read.warnings.size(), 2u) << name << " " << what;
      for (const Document& document : read.documents)
        EXPECT_NO_THROW(nlohmann::json(document.text).dump()) << name << " " << what;
    };
    for (int i = 0; i < 12; ++i) {
      const std::size_t size = random() % original.size();
      check(original.substr(0, size), "cut to " + std::to_string(size));
    }
    for (int i = 0; i < 16; ++i) {
      std::string bytes = original;
      const std::size_t at = random() % bytes.size();
      bytes[at] = static_cast<char>(bytes[at] ^ (1 + random() % 255));
      check(bytes, "byte " + std::to_string(at) + " changed");
    }
    std::string scrambled = original;
    for (int i = 0; i < 64; ++i)
      scrambled[random() % scrambled.size()] = static_cast<char>(random());
    write_text(dir / name, scrambled);
    EXPECT_NO_THROW(read_file(dir / name)) << name << " scrambled";
  }
}

// ---- synthetic records ---------------------------------------------------------------------

constexpr std::string_view kPage =
    "<!doctype html><html><head><title>T</title></head><body>Hello, "
    "caf\xC3\xA9 \xE2\x82\xAC \xE6\x97\xA5\xE6\x9C\xAC</body></html>";
std::string sample_page() { return std::string(kPage); }

TEST(Warc, ResponseMetadataAndIdentity) {
  Document page = one_document("Content-Type: text/html; charset=utf-8\r\n", sample_page());
  EXPECT_EQ(page.id, "urn:uuid:1");
  EXPECT_EQ(page.url, "http://example.com/1");
  EXPECT_EQ(page.text, sample_page());
  EXPECT_EQ(page.metadata, (nlohmann::json{{"record_type", "response"},
                                           {"warc_date", "2024-01-02T03:04:05Z"},
                                           {"content_type", "text/html"},
                                           {"http_status", 200},
                                           {"charset", "utf-8"},
                                           {"html", true}}));
}

TEST(Warc, GzipAndDeflateContentEncodings) {
  const std::string type = "Content-Type: text/html\r\n";
  EXPECT_EQ(one_document(type + "Content-Encoding: gzip\r\n", gzip(sample_page())).text,
            sample_page());
  EXPECT_EQ(one_document(type + "Content-Encoding: x-gzip\r\n", gzip(sample_page())).text,
            sample_page());
  EXPECT_EQ(one_document(type + "Content-Encoding: deflate\r\n", zlib_deflate(sample_page())).text,
            sample_page());
  EXPECT_EQ(one_document(type + "Content-Encoding: deflate\r\n", raw_deflate(sample_page())).text,
            sample_page())
      << "raw deflate, as some servers send it";
  // Crawlers often store the decoded body but keep the header.
  EXPECT_EQ(one_document(type + "Content-Encoding: gzip\r\n", sample_page()).text, sample_page());
}

TEST(Warc, ChunkedTransferEncodingOverGzip) {
  const std::string packed = gzip(sample_page());
  std::string chunked;
  for (std::size_t at = 0; at < packed.size(); at += 7) {
    const std::string piece = packed.substr(at, 7);
    char size[16];
    std::snprintf(size, sizeof size, "%zx", piece.size());
    chunked += std::string(size) + (at == 0 ? ";ext=1" : "") + "\r\n" + piece + "\r\n";
  }
  chunked += "0\r\nTrailer: x\r\n\r\n";
  EXPECT_EQ(one_document("Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n"
                         "Content-Encoding: gzip\r\n",
                         chunked)
                .text,
            sample_page());
}

TEST(Warc, CharsetFromTheHttpHeader) {
  // latin1 is read as windows-1252, as browsers do: 0x93/0x94 are curly quotes, 0x80 the euro.
  Document latin = one_document("Content-Type: text/html; charset=ISO-8859-1\r\n",
                                "caf\xE9 \x93quoted\x94 \x80");
  EXPECT_EQ(latin.text, "caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D \xE2\x82\xAC");
  EXPECT_EQ(latin.metadata["charset"], "windows-1252");

  // Shift_JIS as windows-31j: 0x5C stays a backslash, NEC's circled one (0x8740) decodes.
  Document japanese = one_document("Content-Type: text/plain; charset=\"Shift_JIS\"\r\n",
                                   "\x93\xFA\x96\x7B\x8C\xEA \\ \x87\x40");
  EXPECT_EQ(japanese.text, "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E \\ \xE2\x91\xA0");
  EXPECT_EQ(japanese.metadata["charset"], "shift_jis");
  EXPECT_EQ(japanese.metadata["content_type"], "text/plain");
  EXPECT_FALSE(japanese.metadata.contains("html"));

  Document chinese =
      one_document("Content-Type: text/html; charset=gb2312\r\n", "\xD6\xD0\xCE\xC4");
  EXPECT_EQ(chinese.text, "\xE4\xB8\xAD\xE6\x96\x87");
  EXPECT_EQ(chinese.metadata["charset"], "gbk");

  Document korean =
      one_document("Content-Type: text/html; charset=euc-kr\r\n", "\xC7\xD1\xB1\xB9\xBE\xEE");
  EXPECT_EQ(korean.text, "\xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4");
  EXPECT_EQ(korean.metadata["charset"], "euc-kr");
}

TEST(Warc, CharsetFromAMetaTagOrAnXmlDeclaration) {
  Document japanese = one_document(
      "Content-Type: text/html\r\n",
      "<html><head><META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=Shift_JIS\">"
      "</head><body>\x93\xFA\x96\x7B</body></html>");
  EXPECT_EQ(japanese.metadata["charset"], "shift_jis");
  EXPECT_TRUE(contains(japanese.text, "<body>\xE6\x97\xA5\xE6\x9C\xAC</body>"));

  Document western =
      one_document("Content-Type: text/html\r\n", "<meta charset='windows-1252'><p>na\xEFve</p>");
  EXPECT_EQ(western.metadata["charset"], "windows-1252");
  EXPECT_TRUE(contains(western.text, "na\xC3\xAFve"));

  Document xhtml = one_document("Content-Type: application/xhtml+xml\r\n",
                                "<?xml version=\"1.0\" encoding=\"koi8-r\"?><p>\xF0\xD2</p>");
  EXPECT_EQ(xhtml.metadata["charset"], "koi8-r");
  EXPECT_TRUE(contains(xhtml.text, "<p>\xD0\x9F\xD1\x80</p>"));

  // The HTTP header wins over the document; a meta tag is not looked for in plain text.
  Document header_wins = one_document("Content-Type: text/html; charset=utf-8\r\n",
                                      "<meta charset=\"shift_jis\">caf\xC3\xA9");
  EXPECT_EQ(header_wins.metadata["charset"], "utf-8");
  Document plain = one_document("Content-Type: text/plain\r\n", "<meta charset=\"koi8-r\">ok");
  EXPECT_EQ(plain.metadata["charset"], "utf-8");
}

TEST(Warc, CharsetFallbacksAndReplacement) {
  // No declaration: a byte order mark, else UTF-8 when valid, else windows-1252.
  Document bom = one_document("Content-Type: text/plain\r\n", std::string("\xFF\xFEh\0i\0", 6));
  EXPECT_EQ(bom.text, "hi");
  EXPECT_EQ(bom.metadata["charset"], "utf-16le");
  Document utf8 = one_document("Content-Type: text/plain\r\n", "\xEF\xBB\xBFna\xC3\xAFve");
  EXPECT_EQ(utf8.text, "na\xC3\xAFve");
  EXPECT_EQ(utf8.metadata["charset"], "utf-8");
  Document guessed = one_document("Content-Type: text/plain\r\n", "na\xEFve");
  EXPECT_EQ(guessed.text, "na\xC3\xAFve");
  EXPECT_EQ(guessed.metadata["charset"], "windows-1252");

  // Declared but invalid: each bad sequence becomes U+FFFD, never a failure.
  EXPECT_EQ(one_document("Content-Type: text/plain; charset=utf-8\r\n",
                         "a\xFF"
                         "b\xE2\x82")
                .text,
            "a" + fffd() + "b" + fffd());
  EXPECT_EQ(one_document("Content-Type: text/plain; charset=shift_jis\r\n", "a\x93").text,
            "a" + fffd());
  // An unknown label falls back to detection.
  EXPECT_EQ(
      one_document("Content-Type: text/plain; charset=no-such-thing\r\n", "ok").metadata["charset"],
      "utf-8");
}

TEST(Warc, StatusContentTypeAndRecordTypeFilters) {
  const std::string html = "Content-Type: text/html\r\n";
  std::string content = record("warcinfo", "software: test\r\n") +
                        record("request", "GET / HTTP/1.1\r\n\r\n", "", "req") +
                        response(html, "ok", "ok") + response(html, "gone", "gone", 404) +
                        response("Content-Type: application/pdf\r\n", "%PDF", "pdf") +
                        response("Content-Type: text/css\r\n", "a{}", "css") +
                        record("metadata", "fetchTimeMs: 1\r\n", "", "meta") +
                        record("revisit", http(html, ""), "", "revisit") +
                        record("resource", "plain words", "Content-Type: text/plain\r\n", "res") +
                        record("conversion", "converted", "Content-Type: text/plain\r\n", "conv");
  const fs::path file = write_warc("filters.warc", content);
  auto ids = [](const Read& read) {
    std::vector<std::string> out;
    for (const Document& document : read.documents) out.push_back(document.id);
    return out;
  };
  EXPECT_EQ(ids(read_file(file)),
            (std::vector<std::string>{"urn:uuid:ok", "urn:uuid:res", "urn:uuid:conv"}));
  Read all = read_file(file, "only_ok_status: false, content_types: ['*/*']");
  EXPECT_EQ(ids(all), (std::vector<std::string>{"urn:uuid:ok", "urn:uuid:gone", "urn:uuid:pdf",
                                                "urn:uuid:css", "urn:uuid:res", "urn:uuid:conv"}));
  EXPECT_EQ(all.documents[1].metadata["http_status"], 404);
  EXPECT_EQ(
      ids(read_file(file, "content_types: ['TEXT/*']")),
      (std::vector<std::string>{"urn:uuid:ok", "urn:uuid:css", "urn:uuid:res", "urn:uuid:conv"}));
}

TEST(Warc, HeadersAreCaseInsensitiveAndIdsAndUrisAreTrimmed) {
  const std::string block = http("content-type: TEXT/HTML\r\n", "x");
  const std::string content =
      "WARC/1.0\r\nwarc-type: Response\r\nwarc-record-id: <urn:uuid:abc>\r\n"
      "WARC-TARGET-URI:  <http://example.com/a b>  \r\ncontent-LENGTH: " +
      std::to_string(block.size()) + "\r\n\r\n" + block + "\r\n\r\n" +
      "WARC/1.0\r\nWARC-Type: resource\r\nContent-Type: text/plain\r\n"
      "Content-Length: 2\r\n\r\nno\r\n\r\n";
  const fs::path file = write_warc("case.warc", content);
  Read read = read_file(file);
  ASSERT_EQ(read.documents.size(), 2u);
  EXPECT_EQ(read.documents[0].id, "urn:uuid:abc");
  EXPECT_EQ(read.documents[0].url, "http://example.com/a b");
  EXPECT_EQ(read.documents[0].metadata["content_type"], "text/html");
  // Without a WARC-Record-ID the id is the file and the record's offset.
  EXPECT_EQ(read.documents[1].id,
            file.string() + "@" + std::to_string(content.find("WARC/1.0", 1)));
  EXPECT_EQ(read.documents[1].url, "");
}

TEST(Warc, LongPayloadsAreCutAtACharacterBoundary) {
  std::string body;
  while (body.size() < 1000) body += "\xE6\x97\xA5";  // three bytes each
  Document cut =
      one_document("Content-Type: text/plain; charset=utf-8\r\n", body, "max_payload_bytes: 100");
  EXPECT_EQ(cut.text.size(), 99u) << "the 34th character is incomplete and dropped";
  EXPECT_FALSE(contains(cut.text, fffd()));
  EXPECT_EQ(cut.metadata["truncated"], true);
  Document gz = one_document("Content-Type: text/plain\r\nContent-Encoding: gzip\r\n", gzip(body),
                             "max_payload_bytes: 100");
  EXPECT_EQ(gz.text.size(), 99u);
  EXPECT_EQ(gz.metadata["truncated"], true);
  EXPECT_FALSE(one_document("Content-Type: text/plain\r\n", body).metadata.contains("truncated"));

  // A crawler's WARC-Truncated says the same.
  const fs::path file =
      write_warc("crawler-cut.warc", record("response", http("Content-Type: text/plain\r\n", "par"),
                                            "WARC-Truncated: length\r\n"));
  Read read = read_file(file);
  ASSERT_EQ(read.documents.size(), 1u);
  EXPECT_EQ(read.documents[0].metadata["truncated"], true);
}

TEST(Warc, RecordCutMidBodyWarnsAndKeepsTheRecordsBefore) {
  const std::string html = "Content-Type: text/html\r\n";
  std::string content = response(html, "one", "a") + response(html, "two", "b");
  const std::size_t third = content.size();
  const std::string last = response(html, std::string(500, 'x'), "c");
  content += last.substr(0, last.size() - 300);
  const fs::path file = write_warc("cut.warc", content);
  Read read = read_file(file);
  ASSERT_EQ(read.documents.size(), 2u);
  EXPECT_EQ(read.documents[1].text, "two");
  ASSERT_EQ(read.warnings.size(), 1u);
  EXPECT_TRUE(contains(read.warnings[0], "'" + file.string() + "' at byte " +
                                             std::to_string(third) + ": its Content-Length"))
      << read.warnings[0];
  EXPECT_TRUE(contains(read.warnings[0], "runs past the end of the file")) << read.warnings[0];
}

TEST(Warc, LongRecordsAreSkippedUnreadAndACutOneIsNoticed) {
  // Records nobody reads are jumped over (plain files seek); a long one cut short still warns.
  const std::string html = "Content-Type: text/html\r\n";
  const std::string big = record("metadata", std::string(700000, 'm'), "", "big");
  const std::string last = record("request", std::string(900000, 'r'), "", "cut");
  const std::string content = response(html, "one", "a") + big + response(html, "two", "b") +
                              last.substr(0, last.size() - 400000);
  for (const bool packed : {false, true}) {
    const std::string name = packed ? "long.warc.gz" : "long.warc";
    Read read = read_file(write_warc(name, packed ? gzip(content) : content));
    ASSERT_EQ(read.documents.size(), 2u) << name;
    EXPECT_EQ(read.documents[1].text, "two");
    ASSERT_EQ(read.warnings.size(), 1u) << name;
    EXPECT_TRUE(contains(read.warnings[0], "Content-Length 900000 runs past the end of the file (" +
                                               std::to_string(900000 - 400000 + 4) +
                                               " bytes there)"))
        << read.warnings[0];
    EXPECT_TRUE(contains(read.summary, "3 records (metadata 1, response 2)")) << read.summary;
  }
}

TEST(Warc, WrongContentLengthAndGarbageAreSkippedToTheNextRecord) {
  const std::string html = "Content-Type: text/html\r\n";
  std::string bad = response(html, "bad", "bad");
  bad.replace(bad.find("Content-Length: ") + 16, 2, "40");  // shorter than the block
  const std::string content = response(html, "one", "a") + bad + "junk\r\n" +
                              response(html, "two", "b") + "WARC/1.0\r\nno end of header" +
                              "\r\nWARC/1.0\r\nContent-Length: x\r\n\r\n" +
                              response(html, "three", "c");
  Read read = read_file(write_warc("resync.warc", content));
  std::vector<std::string> texts;
  for (const Document& document : read.documents) texts.push_back(document.text);
  EXPECT_EQ(texts, (std::vector<std::string>{"one", "two", "three"}));
  ASSERT_EQ(read.warnings.size(), 2u);
  EXPECT_TRUE(contains(read.warnings[0], "Content-Length 40 is wrong")) << read.warnings[0];
  EXPECT_TRUE(contains(read.warnings[1], "(2 records skipped in this file so far)"))
      << read.warnings[1];
}

TEST(Warc, CorruptGzipMemberIsSkippedAndTheNextMemberRead) {
  const std::string html = "Content-Type: text/html\r\n";
  std::string filler;
  for (int i = 0; i < 400; ++i) filler += "word" + std::to_string(i * 7919 % 1000) + " ";
  const std::string first = gzip(response(html, "first " + filler, "a"));
  std::string second = gzip(response(html, "second " + filler, "b"));
  const std::string third = gzip(response(html, "third " + filler, "c"));
  for (std::size_t i = 40; i < 60; ++i) second[i] = static_cast<char>(second[i] ^ 0x5a);
  const fs::path file = write_warc("members.warc.gz", first + second + third);
  Read read = read_file(file);
  ASSERT_EQ(read.documents.size(), 2u);
  EXPECT_TRUE(read.documents[0].text.starts_with("first "));
  EXPECT_TRUE(read.documents[1].text.starts_with("third "));
  ASSERT_EQ(read.warnings.size(), 1u);
  EXPECT_TRUE(contains(read.warnings[0], "at byte " + std::to_string(first.size()) +
                                             " (gzip member; uncompressed byte "))
      << read.warnings[0];
  EXPECT_TRUE(contains(read.warnings[0], "gzip")) << read.warnings[0];

  // Bytes that are not gzip at all between members, and a bad chunked body inside one.
  const std::string chunked_bad =
      gzip(response(html + "Transfer-Encoding: chunked\r\n", "zz\r\nnot hex\r\n", "x"));
  Read mixed = read_file(write_warc("mixed.warc.gz", first + "garbage!" + chunked_bad + third));
  ASSERT_EQ(mixed.documents.size(), 2u);
  ASSERT_EQ(mixed.warnings.size(), 2u);
  EXPECT_TRUE(contains(mixed.warnings[0], "not gzip data")) << mixed.warnings[0];
  EXPECT_TRUE(contains(mixed.warnings[1], "bad chunked encoding")) << mixed.warnings[1];
}

TEST(Warc, ShardsAreTheSortedFilesAndReadingStopsWhenAsked) {
  const fs::path dir = temp_dir("warc_shards");
  const std::string html = "Content-Type: text/html\r\n";
  write_text(dir / "b.warc", response(html, "b1", "b1") + response(html, "b2", "b2"));
  write_text(dir / "a.warc.gz", gzip(response(html, "a1", "a1")));
  write_text(dir / "skip.txt", "not matched");
  auto dataset = make_plugin<Dataset>("{plugin: warc, paths: ['" + (dir / "*.warc*").string() +
                                      "', '" + (dir / "b.warc").string() + "']}");
  EXPECT_EQ(dataset->shards(),
            (std::vector<std::string>{(dir / "a.warc.gz").string(), (dir / "b.warc").string()}));
  std::vector<std::string> seen;
  dataset->read((dir / "b.warc").string(), [&](Document&& document) {
    seen.push_back(document.text);
    return false;
  });
  EXPECT_EQ(seen, std::vector<std::string>{"b1"});
  EXPECT_THROW(dataset->read("no such shard", [](Document&&) { return true; }), Error);
  EXPECT_FALSE(dataset->can_write());
}

TEST(Warc, SchemaRefusesBadOptions) {
  const fs::path file = write_warc("schema.warc", response("Content-Type: text/html\r\n", "x"));
  const std::string paths = "paths: '" + file.string() + "'";
  EXPECT_THROW(make_plugin<Dataset>("{plugin: warc}"), Error);
  EXPECT_THROW(make_plugin<Dataset>("{plugin: warc, paths: []}"), Error);
  EXPECT_THROW(warc(file, "max_payload_bytes: 0"), Error);
  EXPECT_THROW(warc(file, "content_types: []"), Error);
  try {
    warc(file, "content_types: [html]");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_TRUE(contains(error.what(), "'html' is not a MIME type")) << error.what();
  }
  try {
    warc(temp_dir("warc_none") / "*.warc");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_TRUE(contains(error.what(), "section.paths: no files match")) << error.what();
  }
  EXPECT_NO_THROW(make_plugin<Dataset>("{plugin: warc, " + paths + "}"));
}

}  // namespace
}  // namespace forge
