#include <forge/dataset.h>
#include <forge/error.h>
#include <forge/tokenizer.h>

#include "io/token_shard.h"
#include "io/token_windows.h"
#include "support/test_support.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace forge {
namespace {

namespace fs = std::filesystem;
using test::make_plugin;
using test::temp_dir;
using test::write_text;
using Order = TokenWindows::Order;

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    return error.what();
  }
  return "(no error)";
}

// What the dataset should hold: each document's bytes, then end-of-text (256).
std::vector<TokenId> expected_tokens(const std::vector<std::string>& documents) {
  std::vector<TokenId> tokens;
  for (const std::string& document : documents) {
    for (char c : document) tokens.push_back(static_cast<unsigned char>(c));
    tokens.push_back(256);
  }
  return tokens;
}

struct TextDataset : ::testing::Test {
  void SetUp() override {
    dir = temp_dir("text-dataset");
    write_text(dir / "b.txt", "second file\r\nline two\n\n\n  \nlast paragraph\n");
    write_text(dir / "a.txt", "first file, one paragraph\nof two lines\n");
    tokenizer = make_plugin<Tokenizer>("{plugin: bytes}");
  }
  std::unique_ptr<Dataset> text(const std::string& options) const {
    return make_plugin<Dataset>("{plugin: text, paths: '" + dir.string() + "/*.txt'" + options +
                                "}");
  }
  std::vector<TokenId> all_sequential(const Dataset& dataset, std::size_t length,
                                      std::size_t windows) const {
    auto source = dataset.open_tokens({tokenizer.get(), length, false, 0});
    std::vector<TokenId> window(length), out;
    for (std::size_t i = 0; i < windows; ++i) {
      source->next(window.data());
      out.insert(out.end(), window.begin() + (i ? 1 : 0), window.end());
    }
    return out;
  }

  fs::path dir;
  std::unique_ptr<Tokenizer> tokenizer;
};

TEST_F(TextDataset, FileModeHoldsEachFileAsOneDocumentInSortedOrder) {
  auto expected = expected_tokens({"first file, one paragraph\nof two lines\n",
                                   "second file\r\nline two\n\n\n  \nlast paragraph\n"});
  auto dataset = text("");
  ASSERT_TRUE(dataset->can_provide_tokens());
  auto source = dataset->open_tokens({tokenizer.get(), expected.size(), false, 0});
  EXPECT_EQ(source->total_tokens(), expected.size());
  std::vector<TokenId> window(expected.size());
  source->next(window.data());
  EXPECT_EQ(window, expected);
}

TEST_F(TextDataset, ParagraphModeSplitsOnBlankLines) {
  auto expected = expected_tokens(
      {"first file, one paragraph\nof two lines", "second file\nline two", "last paragraph"});
  auto dataset = text(", mode: paragraph");
  // Sequential windows of length 5 tile the tokens with one token of overlap.
  std::size_t windows = (expected.size() - 1) / 4;
  auto tiled = all_sequential(*dataset, 5, windows);
  EXPECT_EQ(tiled, std::vector<TokenId>(expected.begin(), expected.begin() + windows * 4 + 1));
}

TEST_F(TextDataset, WindowsFollowTheSameRulesAsTokenShards) {
  auto dataset = text(", mode: paragraph");
  auto tokens = expected_tokens(
      {"first file, one paragraph\nof two lines", "second file\nline two", "last paragraph"});
  fs::path shard = dir / "same.bin";
  {
    TokenShardWriter writer(shard, 257, 256);
    writer.add_document(std::vector<TokenId>(tokens.begin(), tokens.end() - 1));
    writer.commit();
  }
  for (Order order : {Order::random, Order::sequential}) {
    auto source = dataset->open_tokens({tokenizer.get(), 11, order == Order::random, 99});
    TokenWindows from_shard({shard}, 11, order, 99);
    TokenWindows from_memory(tokens, 257, 256, 11, order, 99);
    EXPECT_EQ(from_memory.windows_per_epoch(), from_shard.windows_per_epoch());
    std::vector<TokenId> a(11), b(11), c(11);
    for (int i = 0; i < 300; ++i) {
      source->next(a.data());
      from_shard.next(b.data());
      from_memory.next(c.data());
      ASSERT_EQ(a, b) << "window " << i;
      ASSERT_EQ(c, b) << "window " << i;
    }
    // Ranks interleave one stream, and seek resumes a rank exactly.
    auto rank1 = dataset->open_tokens({tokenizer.get(), 11, order == Order::random, 99, 1, 2});
    rank1->seek(7);
    rank1->next(a.data());
    from_shard.window(7 * 2 + 1, b.data());
    EXPECT_EQ(a, b);
  }
}

TEST_F(TextDataset, NeedsATokenizerAndEnoughText) {
  auto dataset = text("");
  std::string message = error_of([&] { dataset->open_tokens({nullptr, 8}); });
  EXPECT_NE(message.find("needs the run's tokenizer"), std::string::npos) << message;
  message = error_of([&] { dataset->open_tokens({tokenizer.get(), 1000}); });
  std::size_t held = expected_tokens({"first file, one paragraph\nof two lines\n",
                                      "second file\r\nline two\n\n\n  \nlast paragraph\n"})
                         .size();
  EXPECT_NE(
      message.find("holds " + std::to_string(held) + " tokens, fewer than the window length 1000"),
      std::string::npos)
      << message;
  EXPECT_NE(message.find("2 file(s) from '" + (dir / "a.txt").string()), std::string::npos)
      << message;
  EXPECT_FALSE(dataset->can_write());
}

TEST_F(TextDataset, AGlobMatchingNothingIsALocatedError) {
  std::string message = error_of(
      [&] { make_plugin<Dataset>("{plugin: text, paths: '" + dir.string() + "/*.none'}"); });
  EXPECT_NE(message.find("<test>:1:"), std::string::npos) << message;
  EXPECT_NE(message.find("section.paths: no files match"), std::string::npos) << message;
}

}  // namespace
}  // namespace forge
