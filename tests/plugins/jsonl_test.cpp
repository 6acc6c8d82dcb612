#include <forge/dataset.h>
#include <forge/error.h>
#include <forge/files.h>

#include "support/test_support.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace forge {
namespace {

namespace fs = std::filesystem;
using test::make_plugin;
using test::temp_dir;
using test::write_text;

std::unique_ptr<Dataset> jsonl(const std::string& options) {
  return make_plugin<Dataset>("{plugin: jsonl" + (options.empty() ? "" : ", " + options) + "}");
}

std::string quoted(const fs::path& path) { return "'" + path.string() + "'"; }

std::string raw_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<Document> read_all(const Dataset& dataset) {
  std::vector<Document> documents;
  for (const std::string& shard : dataset.shards()) {
    dataset.read(shard, [&](Document&& document) {
      documents.push_back(std::move(document));
      return true;
    });
  }
  return documents;
}

void write_all(const Dataset& dataset, const WriteTarget& target,
               const std::vector<Document>& documents) {
  auto writer = dataset.open_writer(target);
  for (const Document& document : documents) writer->write(document);
  writer->commit();
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    return error.what();
  }
  return "(no error)";
}

std::vector<Document> sample_documents() {
  std::vector<Document> documents(3);
  documents[0].id = "doc-1";
  documents[0].text = "Hello, world.\nSecond line with \"quotes\" and a tab\t.";
  documents[0].url = "https://example.com/a";
  documents[0].metadata = {{"score", 0.25},
                           {"lang", "en"},
                           {"tags", {"x", "y"}},
                           {"nested", {{"b", 1}, {"a", nullptr}}}};
  documents[1].id = "doc-2";
  documents[1].text = "Unicode: caf\xC3\xA9, \xE6\x97\xA5\xE6\x9C\xAC, \xF0\x9F\x98\x80";
  documents[2].id = "";
  documents[2].text = "";
  documents[2].metadata = {{"count", 12345678901234LL}, {"ok", true}};
  return documents;
}

void expect_same(const std::vector<Document>& got, const std::vector<Document>& expected) {
  ASSERT_EQ(got.size(), expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].id, expected[i].id) << i;
    EXPECT_EQ(got[i].text, expected[i].text) << i;
    EXPECT_EQ(got[i].url, expected[i].url) << i;
    EXPECT_EQ(got[i].metadata, expected[i].metadata) << i;
  }
}

TEST(Jsonl, WritesThenReadsTheSameDocuments) {
  for (const char* compression : {"gzip", "none"}) {
    fs::path run = temp_dir(std::string("jsonl_round_trip_") + compression);
    auto output = jsonl(std::string("compression: ") + compression);
    ASSERT_TRUE(output->can_write());
    write_all(*output, {run, "00003"}, sample_documents());
    fs::path file =
        run / "output" / (std::string("00003") + (compression[0] == 'g' ? ".jsonl.gz" : ".jsonl"));
    ASSERT_TRUE(fs::exists(file)) << file;
    EXPECT_EQ(raw_bytes(file).substr(0, 2) == "\x1f\x8b", compression[0] == 'g');

    auto input = jsonl("paths: " + quoted(file));
    EXPECT_EQ(input->shards(), std::vector<std::string>{file.string()});
    expect_same(read_all(*input), sample_documents());
  }
}

TEST(Jsonl, OutputIsCompactOrderedAndByteForByteStable) {
  fs::path run = temp_dir("jsonl_stable");
  auto output = jsonl("compression: none, path: out");
  std::vector<Document> documents(1);
  documents[0].id = "a";
  documents[0].text = "hi";
  documents[0].metadata = {{"z", 1}, {"b", "two"}};
  write_all(*output, {run, "t"}, documents);
  EXPECT_EQ(raw_bytes(run / "out/t.jsonl"),
            "{\"id\":\"a\",\"text\":\"hi\",\"b\":\"two\",\"z\":1}\n");

  // Writing, reading back and writing again gives identical bytes, gzip included.
  auto gzip_output = jsonl("path: out");
  write_all(*gzip_output, {run, "first"}, sample_documents());
  write_all(*gzip_output, {run, "again"}, sample_documents());
  auto input = jsonl("paths: " + quoted(run / "out/first.jsonl.gz"));
  write_all(*gzip_output, {run, "copied"}, read_all(*input));
  std::string first = raw_bytes(run / "out/first.jsonl.gz");
  EXPECT_EQ(first, raw_bytes(run / "out/again.jsonl.gz"));
  EXPECT_EQ(first, raw_bytes(run / "out/copied.jsonl.gz"));
}

TEST(Jsonl, UncommittedOutputLeavesNoFile) {
  fs::path run = temp_dir("jsonl_uncommitted");
  auto output = jsonl("");
  {
    auto writer = output->open_writer({run, "00000"});
    writer->write(sample_documents()[0]);
  }
  EXPECT_TRUE(fs::is_empty(run / "output"));
}

TEST(Jsonl, AbsoluteOutputPathIsUsedAsIs) {
  fs::path run = temp_dir("jsonl_absolute_run");
  fs::path elsewhere = temp_dir("jsonl_absolute_out") / "deeper";
  write_all(*jsonl("compression: none, path: " + quoted(elsewhere)), {run, "x"},
            sample_documents());
  EXPECT_TRUE(fs::exists(elsewhere / "x.jsonl"));
  EXPECT_FALSE(fs::exists(run / "output"));
}

TEST(Jsonl, ReadsDefaultsCustomKeysAndSkipsBlankLines) {
  fs::path dir = temp_dir("jsonl_read");
  write_text(dir / "in.jsonl",
             "{\"content\": \"first\", \"doc_id\": 7, \"extra\": [1, 2]}\n"
             "\n   \r\n"
             "{\"content\": \"second\", \"link\": \"http://x\", \"id\": \"kept as metadata\"}\r\n");
  auto dataset =
      jsonl("text_key: content, id_key: doc_id, url_key: link, paths: " + quoted(dir / "in.jsonl"));
  std::vector<Document> documents = read_all(*dataset);
  ASSERT_EQ(documents.size(), 2u);
  EXPECT_EQ(documents[0].id, "7");
  EXPECT_EQ(documents[0].text, "first");
  EXPECT_EQ(documents[0].metadata, (nlohmann::json{{"extra", {1, 2}}}));
  EXPECT_EQ(documents[1].id, (dir / "in.jsonl").string() + ":4");
  EXPECT_EQ(documents[1].url, "http://x");
  EXPECT_EQ(documents[1].metadata, (nlohmann::json{{"id", "kept as metadata"}}));
}

TEST(Jsonl, FoldersGlobsAndTheEmptyCase) {
  fs::path dir = temp_dir("jsonl_folder");
  for (const char* name : {"b.jsonl", "notes.txt", ".hidden.jsonl", "sub/c.jsonl"}) {
    write_text(dir / name, "{\"text\": \"x\"}\n");
  }
  AtomicFileWriter packed(dir / "a.jsonl.gz", true);
  packed.write("{\"text\": \"packed\"}\n");
  packed.commit();
  EXPECT_EQ(jsonl("paths: " + quoted(dir))->shards(),
            (std::vector<std::string>{(dir / "a.jsonl.gz").string(), (dir / "b.jsonl").string()}));
  EXPECT_EQ(jsonl("paths: [" + quoted(dir / "**/*.jsonl") + ", " + quoted(dir / "b.jsonl") + "]")
                ->shards(),
            (std::vector<std::string>{(dir / "b.jsonl").string(), (dir / "sub/c.jsonl").string()}));
  EXPECT_EQ(read_all(*jsonl("paths: " + quoted(dir))).at(0).text, "packed");

  std::string message = error_of([] { jsonl("")->shards(); });
  EXPECT_NE(message.find("jsonl: nothing to read; set 'paths'"), std::string::npos) << message;
  fs::path empty = temp_dir("jsonl_empty_folder");
  message = error_of([&] { jsonl("paths: " + quoted(empty))->shards(); });
  EXPECT_NE(message.find("holds no .jsonl or .jsonl.gz files"), std::string::npos) << message;
}

TEST(Jsonl, BadLinesAreErrorsNamingFileAndLine) {
  fs::path dir = temp_dir("jsonl_errors");
  struct Case {
    std::string second_line;
    std::string message;
  };
  std::vector<Case> cases = {
      {"{\"text\": \"unterminated}", ":2: invalid JSON: "},
      {"[1, 2]", ":2: expected a JSON object, found array"},
      {"{\"body\": \"x\"}", ":2: no 'text' field"},
      {"{\"text\": 5}", ":2: field 'text' must be a string, found number"},
      {"{\"text\": \"x\", \"id\": {}}", ":2: field 'id' must be a string or a number"},
      {"{\"text\": \"x\", \"url\": 3}", ":2: field 'url' must be a string"},
  };
  for (const Case& test_case : cases) {
    write_text(dir / "bad.jsonl", "{\"text\": \"fine\"}\n" + test_case.second_line + "\n");
    auto dataset = jsonl("paths: " + quoted(dir / "bad.jsonl"));
    std::string message = error_of([&] { read_all(*dataset); });
    EXPECT_EQ(message.rfind((dir / "bad.jsonl").string() + test_case.message, 0), 0)
        << test_case.second_line << " gave: " << message;
  }
}

TEST(Jsonl, MetadataThatClashesWithAFieldIsRefused) {
  fs::path run = temp_dir("jsonl_clash");
  Document document;
  document.id = "d";
  document.text = "t";
  document.metadata = {{"text", "shadow"}};
  auto writer = jsonl("")->open_writer({run, "0"});
  std::string message = error_of([&] { writer->write(document); });
  EXPECT_NE(message.find("metadata field 'text'"), std::string::npos) << message;
}

TEST(Jsonl, StopsReadingWhenTheSinkSaysSo) {
  fs::path dir = temp_dir("jsonl_stop");
  write_text(dir / "in.jsonl", "{\"text\": \"1\"}\n{\"text\": \"2\"}\nnot even json\n");
  auto dataset = jsonl("paths: " + quoted(dir / "in.jsonl"));
  int seen = 0;
  dataset->read((dir / "in.jsonl").string(), [&](Document&&) { return ++seen < 2; });
  EXPECT_EQ(seen, 2);
}

TEST(Jsonl, SchemaRefusesBadOptions) {
  EXPECT_THROW(jsonl("compression: zstd"), Error);
  EXPECT_THROW(jsonl("text_key: id"), Error);
}

}  // namespace
}  // namespace forge
