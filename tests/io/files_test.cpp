#include <forge/error.h>
#include <forge/files.h>

#include "support/test_support.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace forge {
namespace {

namespace fs = std::filesystem;
using test::temp_dir;
using test::write_text;

// gzip members made by Python's gzip module, so the reader is checked against another writer.
constexpr unsigned char kMemberOne[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03,
                                        0xcb, 0xcf, 0x4b, 0xe5, 0x2a, 0x2e, 0xc8, 0xc9, 0x2c, 0x51,
                                        0x00, 0x00, 0xa2, 0x27, 0x13, 0x59, 0x0a, 0x00, 0x00, 0x00};
constexpr unsigned char kMemberTwo[] = {
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x4b, 0x4c, 0x2e, 0xca, 0x2f, 0x2e,
    0xe6, 0xe5, 0xca, 0x49, 0x2c, 0x2e, 0x01, 0x00, 0xe7, 0x2c, 0x9c, 0x12, 0x0c, 0x00, 0x00, 0x00};
constexpr std::string_view kMemberOneText = "one\nsplit ";
constexpr std::string_view kMemberTwoText = "across\r\nlast";

std::string bytes(const unsigned char* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

std::string raw_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Writes `content` gzip-compressed through AtomicFileWriter and returns the file's bytes.
std::string gzip(const fs::path& file, const std::string& content) {
  AtomicFileWriter writer(file, true);
  writer.write(content);
  writer.commit();
  return raw_bytes(file);
}

std::vector<std::string> names(const std::vector<fs::path>& files, const fs::path& base) {
  std::vector<std::string> out;
  out.reserve(files.size());
  for (const auto& file : files) out.push_back(file.lexically_relative(base).string());
  return out;
}

std::vector<std::string> lines_of(const fs::path& file) {
  LineReader reader(file);
  std::vector<std::string> lines;
  std::string line;
  while (reader.next(line)) {
    lines.push_back(line);
    EXPECT_EQ(reader.line_number(), lines.size());
  }
  return lines;
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    return error.what();
  }
  return "(no error)";
}

// ---- expand_glob ----

TEST(ExpandGlob, StarMatchesWithinOneFolderSorted) {
  fs::path dir = temp_dir("glob_star");
  for (const char* name : {"b.txt", "a.txt", "c.md", "sub/d.txt", "B.txt"}) {
    write_text(dir / name, "x");
  }
  EXPECT_EQ(names(expand_glob((dir / "*.txt").string()), dir),
            (std::vector<std::string>{"B.txt", "a.txt", "b.txt"}));
  EXPECT_EQ(names(expand_glob((dir / "*").string()), dir),
            (std::vector<std::string>{"B.txt", "a.txt", "b.txt", "c.md"}));
}

TEST(ExpandGlob, QuestionMarkBracketsAndWildcardFolders) {
  fs::path dir = temp_dir("glob_classes");
  for (const char* name :
       {"file1.txt", "file2.txt", "file10.txt", "x/data.txt", "y/data.txt", "y/other.txt"}) {
    write_text(dir / name, "x");
  }
  EXPECT_EQ(names(expand_glob((dir / "file?.txt").string()), dir),
            (std::vector<std::string>{"file1.txt", "file2.txt"}));
  EXPECT_EQ(names(expand_glob((dir / "file[!2]*.txt").string()), dir),
            (std::vector<std::string>{"file1.txt", "file10.txt"}));
  EXPECT_EQ(names(expand_glob((dir / "*/data.txt").string()), dir),
            (std::vector<std::string>{"x/data.txt", "y/data.txt"}));
}

TEST(ExpandGlob, DoubleStarMatchesZeroOrMoreFolders) {
  fs::path dir = temp_dir("glob_double_star");
  for (const char* name : {"top.txt", "a/one.txt", "a/b/two.txt", "a/b/two.md", "c/three.txt"}) {
    write_text(dir / name, "x");
  }
  EXPECT_EQ(names(expand_glob((dir / "**/*.txt").string()), dir),
            (std::vector<std::string>{"a/b/two.txt", "a/one.txt", "c/three.txt", "top.txt"}));
  EXPECT_EQ(names(expand_glob((dir / "a/**/*.txt").string()), dir),
            (std::vector<std::string>{"a/b/two.txt", "a/one.txt"}));
  EXPECT_EQ(names(expand_glob((dir / "**").string()), dir),
            (std::vector<std::string>{"a/b/two.md", "a/b/two.txt", "a/one.txt", "c/three.txt",
                                      "top.txt"}));
  // Two ** can reach one file in several ways; it is listed once.
  EXPECT_EQ(names(expand_glob((dir / "**/**/*.txt").string()), dir),
            (std::vector<std::string>{"a/b/two.txt", "a/one.txt", "c/three.txt", "top.txt"}));
}

TEST(ExpandGlob, HiddenEntriesNeedAPatternStartingWithADot) {
  fs::path dir = temp_dir("glob_hidden");
  for (const char* name : {"seen.txt", ".hidden.txt", ".git/inside.txt", "sub/.deep.txt"}) {
    write_text(dir / name, "x");
  }
  EXPECT_EQ(names(expand_glob((dir / "*.txt").string()), dir),
            (std::vector<std::string>{"seen.txt"}));
  EXPECT_EQ(names(expand_glob((dir / "**/*").string()), dir),
            (std::vector<std::string>{"seen.txt"}));
  EXPECT_EQ(names(expand_glob((dir / ".*.txt").string()), dir),
            (std::vector<std::string>{".hidden.txt"}));
  EXPECT_EQ(names(expand_glob((dir / ".git/*.txt").string()), dir),
            (std::vector<std::string>{".git/inside.txt"}));
  EXPECT_EQ(names(expand_glob((dir / "**/.*").string()), dir),
            (std::vector<std::string>{".hidden.txt", "sub/.deep.txt"}));
}

TEST(ExpandGlob, DoubleStarDoesNotFollowSymlinkedFolders) {
  fs::path dir = temp_dir("glob_symlink_loop");
  write_text(dir / "a/file.txt", "x");
  fs::create_directory_symlink(dir, dir / "a/loop");
  EXPECT_EQ(names(expand_glob((dir / "**/*.txt").string()), dir),
            (std::vector<std::string>{"a/file.txt"}));
  // A symlinked folder named explicitly is fine.
  EXPECT_EQ(names(expand_glob((dir / "a/loop/a/*.txt").string()), dir),
            (std::vector<std::string>{"a/loop/a/file.txt"}));
}

TEST(ExpandGlob, RelativePatternsGiveRelativePaths) {
  fs::path dir = temp_dir("glob_relative");
  write_text(dir / "r.txt", "x");
  write_text(dir / "d/s.txt", "x");
  fs::path saved = fs::current_path();
  fs::current_path(dir);
  std::vector<fs::path> star = expand_glob("*.txt");
  std::vector<fs::path> deep = expand_glob("**/*.txt");
  std::vector<fs::path> literal = expand_glob("d/s.txt");
  fs::current_path(saved);
  EXPECT_EQ(star, (std::vector<fs::path>{"r.txt"}));
  EXPECT_EQ(deep, (std::vector<fs::path>{"d/s.txt", "r.txt"}));
  EXPECT_EQ(literal, (std::vector<fs::path>{"d/s.txt"}));
}

TEST(ExpandGlob, LiteralPathNamesOneFileThatMustExist) {
  fs::path dir = temp_dir("glob_literal");
  write_text(dir / "one.txt", "x");
  EXPECT_EQ(expand_glob((dir / "one.txt").string()), (std::vector<fs::path>{dir / "one.txt"}));

  std::string missing = (dir / "two.txt").string();
  std::string message = error_of([&] { expand_glob(missing); });
  EXPECT_EQ(message, "no files match '" + missing + "': no such file");

  message = error_of([&] { expand_glob(dir.string()); });
  EXPECT_NE(message.find("it is a folder; use '" + dir.string() + "/*'"), std::string::npos)
      << message;
}

TEST(ExpandGlob, NoMatchNamesThePatternAndAMissingFolder) {
  fs::path dir = temp_dir("glob_no_match");
  write_text(dir / "a.txt", "x");
  std::string pattern = (dir / "*.json").string();
  EXPECT_EQ(error_of([&] { expand_glob(pattern); }), "no files match '" + pattern + "'");

  pattern = (dir / "missing/deeper/*.txt").string();
  EXPECT_EQ(error_of([&] { expand_glob(pattern); }), "no files match '" + pattern + "': folder '" +
                                                         (dir / "missing").string() +
                                                         "' does not exist");

  pattern = (dir / "a.txt/*.txt").string();
  EXPECT_NE(error_of([&] { expand_glob(pattern); }).find("is a file, not a folder"),
            std::string::npos);
  EXPECT_NE(error_of([] { expand_glob(""); }).find("the pattern is empty"), std::string::npos);
}

// ---- read_file and LineReader ----

TEST(ReadFile, ReadsPlainAndGzipByContentNotName) {
  fs::path dir = temp_dir("read_file");
  write_text(dir / "plain.gz", "not compressed\n");
  write_text(dir / "packed.txt", bytes(kMemberOne, sizeof kMemberOne));
  EXPECT_EQ(read_file(dir / "plain.gz"), "not compressed\n");
  EXPECT_EQ(read_file(dir / "packed.txt"), kMemberOneText);
  write_text(dir / "empty", "");
  EXPECT_EQ(read_file(dir / "empty"), "");
}

TEST(ReadFile, ReadsLargeFilesAcrossChunks) {
  fs::path dir = temp_dir("read_file_large");
  std::string content;
  for (int i = 0; content.size() < 300000; ++i) content += std::to_string(i) + ",";
  write_text(dir / "big.txt", content);
  EXPECT_EQ(read_file(dir / "big.txt"), content);
  AtomicFileWriter writer(dir / "big.gz", true);
  writer.write(content);
  writer.commit();
  EXPECT_EQ(read_file(dir / "big.gz"), content);
}

TEST(ReadFile, ConcatenatedGzipMembersReadAsOneStream) {
  fs::path dir = temp_dir("read_multi_member");
  write_text(dir / "multi.gz",
             bytes(kMemberOne, sizeof kMemberOne) + bytes(kMemberTwo, sizeof kMemberTwo));
  EXPECT_EQ(read_file(dir / "multi.gz"), std::string(kMemberOneText) + std::string(kMemberTwoText));
  // A line that starts in one member and ends in the next is one line.
  EXPECT_EQ(lines_of(dir / "multi.gz"), (std::vector<std::string>{"one", "split across", "last"}));
}

TEST(ReadFile, ErrorsNameTheFileAndTheCause) {
  fs::path dir = temp_dir("read_errors");
  fs::path missing = dir / "nope.txt";
  EXPECT_EQ(error_of([&] { read_file(missing); }),
            "cannot open '" + missing.string() + "': No such file or directory");
  EXPECT_NE(error_of([&] { read_file(dir); }).find("it is a folder"), std::string::npos);

  // A gzip stream cut short must fail, not read as a shorter file.
  std::string whole;
  for (int i = 0; i < 5000; ++i) whole += "line " + std::to_string(i) + "\n";
  std::string packed = gzip(dir / "whole.gz", whole);
  write_text(dir / "cut.gz", packed.substr(0, packed.size() / 2));
  std::string message = error_of([&] { read_file(dir / "cut.gz"); });
  EXPECT_EQ(message.rfind((dir / "cut.gz").string() + ": damaged or truncated gzip data", 0), 0)
      << message;

  message = error_of([&] { lines_of(dir / "cut.gz"); });
  EXPECT_EQ(message.rfind((dir / "cut.gz").string() + ":", 0), 0) << message;
  EXPECT_NE(message.find("unexpected end of file"), std::string::npos) << message;

  std::string damaged = packed;
  for (std::size_t i = 20; i < 60; ++i) damaged[i] = static_cast<char>(damaged[i] ^ 0x5a);
  write_text(dir / "damaged.gz", damaged);
  EXPECT_NE(error_of([&] { read_file(dir / "damaged.gz"); }).find("damaged"), std::string::npos);
}

TEST(LineReader, SplitsLinesStripsCarriageReturnsAndKeepsEmptyLines) {
  fs::path dir = temp_dir("line_reader");
  write_text(dir / "a.txt", "first\r\n\nthird\r\n  \nlast without newline");
  EXPECT_EQ(lines_of(dir / "a.txt"),
            (std::vector<std::string>{"first", "", "third", "  ", "last without newline"}));
  write_text(dir / "b.txt", "one\n\n");
  EXPECT_EQ(lines_of(dir / "b.txt"), (std::vector<std::string>{"one", ""}));
  write_text(dir / "empty.txt", "");
  EXPECT_TRUE(lines_of(dir / "empty.txt").empty());
  write_text(dir / "newline.txt", "\n");
  EXPECT_EQ(lines_of(dir / "newline.txt"), (std::vector<std::string>{""}));
  write_text(dir / "inner_cr.txt", "a\rb\r\n");
  EXPECT_EQ(lines_of(dir / "inner_cr.txt"), (std::vector<std::string>{"a\rb"}));
}

TEST(LineReader, ReadsLongLinesPlainAndGzip) {
  fs::path dir = temp_dir("line_reader_long");
  std::string long_line(200000, 'x');
  long_line[70000] = 'y';
  std::string content = "short\n" + long_line + "\r\n" + long_line + "\nend\n";
  write_text(dir / "long.txt", content);
  gzip(dir / "long.gz", content);
  for (const char* name : {"long.txt", "long.gz"}) {
    EXPECT_EQ(lines_of(dir / name),
              (std::vector<std::string>{"short", long_line, long_line, "end"}))
        << name;
  }
}

TEST(LineReader, MissingFileIsAnError) {
  fs::path dir = temp_dir("line_reader_missing");
  EXPECT_EQ(error_of([&] { LineReader reader(dir / "x"); }),
            "cannot open '" + (dir / "x").string() + "': No such file or directory");
}

// ---- AtomicFileWriter ----

TEST(AtomicFileWriter, PublishesOnlyOnCommit) {
  fs::path dir = temp_dir("atomic_commit");
  fs::path file = dir / "out.txt";
  fs::path temp = dir / ("out.txt.tmp-" + std::to_string(::getpid()));
  {
    AtomicFileWriter writer(file, false);
    writer.write("hello ");
    writer.write("world\n");
    EXPECT_FALSE(fs::exists(file));
    EXPECT_TRUE(fs::exists(temp));
    writer.commit();
    EXPECT_FALSE(fs::exists(temp));
  }
  EXPECT_EQ(read_file(file), "hello world\n");
  EXPECT_EQ(std::vector<fs::path>(fs::directory_iterator(dir), {}), std::vector<fs::path>{file});
}

// Ranks of one run write its shared files at once: another live writer's temporary is its
// work in progress, only a dead writer's is debris.
TEST(AtomicFileWriter, RemovesDeadWritersTemporariesButNotLiveOnes) {
  fs::path dir = temp_dir("atomic_stale");
  fs::path live = dir / ("out.txt.tmp-" + std::to_string(::getppid()));
  fs::path dead = dir / "out.txt.tmp-999999999";
  write_text(live, "another process is writing this");
  write_text(dead, "left by a killed writer");
  write_file_atomic(dir / "out.txt", "done\n");
  EXPECT_EQ(read_file(dir / "out.txt"), "done\n");
  EXPECT_TRUE(fs::exists(live));
  EXPECT_FALSE(fs::exists(dead));
}

TEST(AtomicFileWriter, UncommittedWriterLeavesNothingAndKeepsTheOldFile) {
  fs::path dir = temp_dir("atomic_abandon");
  write_text(dir / "kept.txt", "old\n");
  for (bool gzip_output : {false, true}) {
    {
      AtomicFileWriter writer(dir / "kept.txt", gzip_output);
      writer.write("new content that is never published\n");
    }
    EXPECT_THROW(
        {
          AtomicFileWriter writer(dir / "fresh.txt", gzip_output);
          writer.write(std::string(3 << 20, 'z'));
          throw Error("the producer failed");
        },
        Error);
  }
  EXPECT_EQ(read_file(dir / "kept.txt"), "old\n");
  EXPECT_EQ(std::vector<fs::path>(fs::directory_iterator(dir), {}),
            std::vector<fs::path>{dir / "kept.txt"});
}

TEST(AtomicFileWriter, MissingFolderIsAnErrorNamingTheFile) {
  fs::path dir = temp_dir("atomic_missing_folder");
  fs::path file = dir / "no/such/out.txt";
  std::string message = error_of([&] { AtomicFileWriter writer(file, false); });
  EXPECT_EQ(message.rfind("cannot write '" + file.string() + "': ", 0), 0) << message;
  EXPECT_NE(message.find("No such file or directory"), std::string::npos) << message;
}

TEST(AtomicFileWriter, GzipOutputIsDeterministicAndReadsBack) {
  fs::path dir = temp_dir("atomic_gzip");
  std::string content;
  for (int i = 0; i < 100000; ++i) content += "document " + std::to_string(i % 977) + "\n";
  std::string first = gzip(dir / "a.gz", content);
  std::string second = gzip(dir / "b.gz", content);
  EXPECT_EQ(first, second);
  ASSERT_GT(first.size(), 10u);
  EXPECT_EQ(first.substr(0, 3), "\x1f\x8b\x08");
  EXPECT_EQ(first.substr(4, 4), std::string(4, '\0')) << "no modification time";
  EXPECT_LT(first.size(), content.size() / 10);
  EXPECT_EQ(read_file(dir / "a.gz"), content);
  EXPECT_EQ(lines_of(dir / "a.gz").size(), 100000u);

  // Empty output is still a valid gzip file.
  gzip(dir / "empty.gz", "");
  EXPECT_EQ(read_file(dir / "empty.gz"), "");
}

TEST(AtomicFileWriter, LargePlainWritesKeepTheirOrder) {
  fs::path dir = temp_dir("atomic_large");
  std::string expected;
  AtomicFileWriter writer(dir / "big.txt", false);
  for (int i = 0; i < 40; ++i) {
    std::string piece(static_cast<std::size_t>(i) * 70000 + 1, static_cast<char>('a' + i % 26));
    writer.write(piece);
    expected += piece;
  }
  writer.commit();
  EXPECT_EQ(read_file(dir / "big.txt"), expected);
}

TEST(WriteFileAtomic, ReplacesTheWholeFile) {
  fs::path dir = temp_dir("write_file_atomic");
  write_file_atomic(dir / "f.txt", "a much longer first version\n");
  write_file_atomic(dir / "f.txt", "short\n");
  EXPECT_EQ(read_file(dir / "f.txt"), "short\n");
  EXPECT_EQ(std::vector<fs::path>(fs::directory_iterator(dir), {}),
            std::vector<fs::path>{dir / "f.txt"});
}

}  // namespace
}  // namespace forge
