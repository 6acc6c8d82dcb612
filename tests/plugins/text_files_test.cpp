#include <forge/dataset.h>
#include <forge/error.h>
#include <forge/files.h>

#include "support/test_support.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace forge {
namespace {

namespace fs = std::filesystem;
using test::make_plugin;
using test::temp_dir;
using test::write_text;

std::unique_ptr<Dataset> text_files(const std::string& options) {
  return make_plugin<Dataset>("{plugin: text_files, " + options + "}");
}

std::vector<Document> read_shard(const Dataset& dataset, const std::string& shard) {
  std::vector<Document> documents;
  dataset.read(shard, [&](Document&& document) {
    documents.push_back(std::move(document));
    return true;
  });
  return documents;
}

std::vector<Document> read_all(const Dataset& dataset) {
  std::vector<Document> documents;
  for (const std::string& shard : dataset.shards()) {
    for (Document& document : read_shard(dataset, shard)) documents.push_back(std::move(document));
  }
  return documents;
}

std::vector<std::string> texts(const std::vector<Document>& documents) {
  std::vector<std::string> out;
  out.reserve(documents.size());
  for (const Document& document : documents) out.push_back(document.text);
  return out;
}

std::vector<std::string> paragraphs_of(const std::string& content) {
  fs::path dir = temp_dir("text_files_paragraph_case");
  write_text(dir / "p.txt", content);
  return texts(read_all(*text_files("mode: paragraph, paths: '" + (dir / "p.txt").string() + "'")));
}

TEST(TextFiles, OneDocumentPerFileFromSortedDeduplicatedGlobs) {
  fs::path dir = temp_dir("text_files_file_mode");
  write_text(dir / "b.txt", "bee\n");
  write_text(dir / "a.txt", "ay");
  write_text(dir / "sub/c.txt", "");
  write_text(dir / "skip.md", "not matched");
  auto dataset = text_files("paths: ['" + (dir / "**/*.txt").string() + "', '" +
                            (dir / "*.txt").string() + "']");
  std::vector<std::string> expected = {(dir / "a.txt").string(), (dir / "b.txt").string(),
                                       (dir / "sub/c.txt").string()};
  EXPECT_EQ(dataset->shards(), expected);
  std::vector<Document> documents = read_all(*dataset);
  ASSERT_EQ(documents.size(), 3u);
  EXPECT_EQ(texts(documents), (std::vector<std::string>{"ay", "bee\n", ""}));
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(documents[i].id, expected[i]);
    EXPECT_EQ(documents[i].url, "");
    EXPECT_EQ(documents[i].metadata, (nlohmann::json{{"source", expected[i]}}));
  }
  EXPECT_FALSE(dataset->can_write());
  EXPECT_THROW(dataset->open_writer({dir, "00000"}), Error);
}

TEST(TextFiles, OnePathMayBeGivenAsAString) {
  fs::path dir = temp_dir("text_files_one_string");
  write_text(dir / "only.txt", "one");
  auto dataset = text_files("paths: '" + (dir / "only.txt").string() + "'");
  EXPECT_EQ(texts(read_all(*dataset)), std::vector<std::string>{"one"});
}

TEST(TextFiles, GroupsFilesIntoShardsWithStableNames) {
  fs::path dir = temp_dir("text_files_groups");
  for (const char* name : {"e", "d", "c", "b", "a"}) write_text(dir / name, name);
  auto dataset = text_files("files_per_shard: 2, paths: '" + (dir / "*").string() + "'");
  std::vector<std::string> shards = dataset->shards();
  EXPECT_EQ(shards, (std::vector<std::string>{(dir / "a").string() + "+1",
                                              (dir / "c").string() + "+1", (dir / "e").string()}));
  EXPECT_EQ(shards, dataset->shards());
  EXPECT_EQ(texts(read_shard(*dataset, shards[0])), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(texts(read_shard(*dataset, shards[2])), (std::vector<std::string>{"e"}));
  EXPECT_EQ(texts(read_all(*dataset)), (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  EXPECT_THROW(read_shard(*dataset, "not a shard"), Error);
}

TEST(TextFiles, ParagraphsAreSeparatedByBlankOrWhitespaceOnlyLines) {
  EXPECT_EQ(paragraphs_of("\n\nFirst para\nline two\n\n   \n\t\nSecond\r\nstill second\r\n\r\n"
                          "Third\n\n\n"),
            (std::vector<std::string>{"First para\nline two", "Second\nstill second", "Third"}));
  EXPECT_EQ(paragraphs_of("no newline at the end"),
            (std::vector<std::string>{"no newline at the end"}));
  EXPECT_EQ(paragraphs_of("  indented\n    kept\n \r\n"),
            (std::vector<std::string>{"  indented\n    kept"}));
  EXPECT_TRUE(paragraphs_of("").empty());
  EXPECT_TRUE(paragraphs_of("\n \n\t\r\n\n").empty());
}

TEST(TextFiles, ParagraphIdsAndMetadataCountFromZeroPerFile) {
  fs::path dir = temp_dir("text_files_paragraph_ids");
  write_text(dir / "a.txt", "one\n\ntwo\n");
  write_text(dir / "b.txt", "three\n");
  auto dataset =
      text_files("mode: paragraph, files_per_shard: 2, paths: '" + (dir / "*.txt").string() + "'");
  std::vector<Document> documents = read_all(*dataset);
  ASSERT_EQ(documents.size(), 3u);
  std::string a = (dir / "a.txt").string(), b = (dir / "b.txt").string();
  EXPECT_EQ(documents[0].id, a + "#0");
  EXPECT_EQ(documents[1].id, a + "#1");
  EXPECT_EQ(documents[2].id, b + "#0");
  EXPECT_EQ(documents[1].metadata, (nlohmann::json{{"source", a}, {"paragraph", 1}}));
  EXPECT_EQ(documents[2].metadata, (nlohmann::json{{"source", b}, {"paragraph", 0}}));
}

TEST(TextFiles, InvalidUtf8BecomesReplacementCharacters) {
  const std::string fffd = "\xEF\xBF\xBD";
  fs::path dir = temp_dir("text_files_utf8");
  // A lone byte, a lead without its continuation, a truncated sequence, an encoded surrogate
  // (one U+FFFD per byte) and an overlong '/'; valid multibyte text stays as it is.
  write_text(dir / "bad.txt",
             "ok \xFF \xC3( \xE2\x82 end \xED\xA0\x80 \xC0\xAF caf\xC3\xA9 \xF0\x9F\x98\x80\xF0");
  std::string expected = "ok " + fffd + " " + fffd + "( " + fffd + " end " + fffd + fffd + fffd +
                         " " + fffd + fffd + " caf\xC3\xA9 \xF0\x9F\x98\x80" + fffd;
  for (const char* mode : {"file", "paragraph"}) {
    auto dataset =
        text_files(std::string("mode: ") + mode + ", paths: '" + (dir / "bad.txt").string() + "'");
    std::vector<Document> documents = read_all(*dataset);
    ASSERT_EQ(documents.size(), 1u);
    EXPECT_EQ(documents[0].text, expected) << mode;
    EXPECT_NO_THROW(nlohmann::json(documents[0].text).dump()) << "valid UTF-8 for JSON";
  }
}

TEST(TextFiles, ReadsGzipFilesAndStopsWhenTheSinkSaysSo) {
  fs::path dir = temp_dir("text_files_gzip");
  AtomicFileWriter writer(dir / "packed.txt.gz", true);
  writer.write("alpha\n\nbeta\n\ngamma\n");
  writer.commit();
  auto dataset = text_files("mode: paragraph, paths: '" + (dir / "*.gz").string() + "'");
  std::vector<std::string> seen;
  dataset->read(dataset->shards().at(0), [&](Document&& document) {
    seen.push_back(document.text);
    return seen.size() < 2;
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"alpha", "beta"}));
}

TEST(TextFiles, MissingAndUnreadableFilesAreErrorsNamingThem) {
  fs::path dir = temp_dir("text_files_missing");
  std::string pattern = (dir / "*.txt").string();
  // Globbing happens when the plugin is made, so the error is located at `paths`.
  try {
    text_files("paths: '" + pattern + "'");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("section.paths: no files match '" + pattern + "'"),
              std::string::npos)
        << error.what();
  }

  write_text(dir / "gone.txt", "soon removed");
  auto later = text_files("paths: '" + pattern + "'");
  std::vector<std::string> shards = later->shards();
  fs::remove(dir / "gone.txt");
  try {
    read_shard(*later, shards.at(0));
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find((dir / "gone.txt").string()), std::string::npos)
        << error.what();
  }
}

TEST(TextFiles, SchemaRefusesBadOptions) {
  EXPECT_THROW(text_files("mode: lines, paths: x"), Error);
  EXPECT_THROW(text_files("files_per_shard: 0, paths: x"), Error);
  EXPECT_THROW(text_files("mode: file"), Error);  // paths is required
  EXPECT_THROW(text_files("paths: []"), Error);
}

}  // namespace
}  // namespace forge
