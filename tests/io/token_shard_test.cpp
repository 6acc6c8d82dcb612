#include <forge/error.h>

#include "io/token_shard.h"
#include "support/test_support.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

namespace forge {
namespace {

namespace fs = std::filesystem;
using test::temp_dir;

std::string raw_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_bytes(const fs::path& file, const std::string& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << bytes;
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    return error.what();
  }
  return "(no error)";
}

std::vector<TokenId> read_all(const TokenShard& shard) {
  std::vector<TokenId> tokens(shard.size());
  shard.read(0, tokens.size(), tokens.data());
  return tokens;
}

// Writes `documents` to `file` and returns what the shard must hold: each document then EOT.
std::vector<TokenId> write_shard(const fs::path& file, std::uint32_t vocab, TokenId eot,
                                 const std::vector<std::vector<TokenId>>& documents) {
  TokenShardWriter writer(file, vocab, eot);
  std::vector<TokenId> expected;
  for (const auto& document : documents) {
    writer.add_document(document);
    expected.insert(expected.end(), document.begin(), document.end());
    expected.push_back(eot);
    EXPECT_EQ(writer.token_count(), expected.size());
  }
  writer.commit();
  return expected;
}

// ---- writer and round trip ----

TEST(TokenShard, Gpt2VocabularyUsesTwoByteTokensWithTheExactHeader) {
  auto file = temp_dir("shard-gpt2") / "train-000.bin";
  std::vector<std::vector<TokenId>> documents{{15496, 995, 0}, {}, {50255, 1, 2, 3}};
  auto expected = write_shard(file, 50257, 50256, documents);

  std::string bytes = raw_bytes(file);
  ASSERT_EQ(bytes.size(), 64u + expected.size() * 2);
  std::string header("FRGTOKS\0", 8);
  header += std::string("\x01\x00\x00\x00", 4);                  // version 1
  header += std::string("\x02\x00\x00\x00", 4);                  // 2 bytes per token
  header += std::string("\x0a\x00\x00\x00\x00\x00\x00\x00", 8);  // 10 tokens
  header += std::string("\x50\xc4\x00\x00", 4);                  // end of text 50256
  header += std::string("\x51\xc4\x00\x00", 4);                  // vocabulary 50257
  header += std::string(32, '\0');
  EXPECT_EQ(bytes.substr(0, 64), header);
  // First token 15496 = 0x3c88, little-endian.
  EXPECT_EQ(bytes.substr(64, 2), std::string("\x88\x3c", 2));

  TokenShard shard(file);
  EXPECT_EQ(shard.size(), expected.size());
  EXPECT_EQ(shard.vocab_size(), 50257u);
  EXPECT_EQ(shard.end_of_text(), 50256);
  EXPECT_EQ(shard.token_width(), 2u);
  EXPECT_EQ(shard.path(), file);
  EXPECT_EQ(read_all(shard), expected);
}

TEST(TokenShard, Cl100kVocabularyUsesFourByteTokens) {
  auto file = temp_dir("shard-cl100k") / "train-000.bin";
  auto expected = write_shard(file, 100277, 100257, {{100276, 70000, 0, 65535, 65536}, {7}});

  std::string bytes = raw_bytes(file);
  ASSERT_EQ(bytes.size(), 64u + expected.size() * 4);
  EXPECT_EQ(bytes.substr(12, 4), std::string("\x04\x00\x00\x00", 4));
  EXPECT_EQ(bytes.substr(16, 8), std::string("\x08\x00\x00\x00\x00\x00\x00\x00", 8));
  EXPECT_EQ(bytes.substr(24, 4), std::string("\xa1\x87\x01\x00", 4));  // 100257
  EXPECT_EQ(bytes.substr(28, 4), std::string("\xb5\x87\x01\x00", 4));  // 100277
  EXPECT_EQ(bytes.substr(64, 4), std::string("\xb4\x87\x01\x00", 4));  // 100276

  TokenShard shard(file);
  EXPECT_EQ(shard.token_width(), 4u);
  EXPECT_EQ(read_all(shard), expected);
  std::vector<TokenId> middle(3);
  shard.read(2, 3, middle.data());
  EXPECT_EQ(middle, (std::vector<TokenId>{0, 65535, 65536}));
}

TEST(TokenShard, WidthIsTwoBytesUpToExactlyUint16) {
  EXPECT_EQ(token_width_for(65536), 2u);  // ids 0..65535 fit in uint16
  EXPECT_EQ(token_width_for(65537), 4u);
  auto file = temp_dir("shard-edge") / "edge.bin";
  auto expected = write_shard(file, 65536, 0, {{65535, 1}});
  TokenShard shard(file);
  EXPECT_EQ(shard.token_width(), 2u);
  EXPECT_EQ(read_all(shard), expected);
}

TEST(TokenShard, DocumentLargerThanTheWriteBufferRoundTrips) {
  auto file = temp_dir("shard-large") / "large.bin";
  std::vector<TokenId> document(1'500'000);
  for (std::size_t i = 0; i < document.size(); ++i) document[i] = static_cast<TokenId>(i % 50000);
  auto expected = write_shard(file, 50257, 50256, {document, {1, 2}});
  EXPECT_EQ(read_all(TokenShard(file)), expected);
}

TEST(TokenShard, OutOfRangeIdIsRefusedNamingIdAndFile) {
  auto file = temp_dir("shard-range") / "bad.bin";
  TokenShardWriter writer(file, 50257, 50256);
  writer.add_document(std::vector<TokenId>{1, 2});
  std::string message = error_of([&] { writer.add_document(std::vector<TokenId>{3, 50257}); });
  EXPECT_NE(message.find("50257"), std::string::npos) << message;
  EXPECT_NE(message.find(file.string()), std::string::npos) << message;
  EXPECT_NE(message.find("document 1"), std::string::npos) << message;
  message = error_of([&] { writer.add_document(std::vector<TokenId>{-1}); });
  EXPECT_NE(message.find("token id -1"), std::string::npos) << message;
  // The refused documents left nothing behind.
  EXPECT_EQ(writer.token_count(), 3u);
  writer.commit();
  EXPECT_EQ(read_all(TokenShard(file)), (std::vector<TokenId>{1, 2, 50256}));
}

TEST(TokenShard, WriterRefusesABadVocabularyOrEndOfText) {
  auto dir = temp_dir("shard-args");
  EXPECT_NE(error_of([&] { TokenShardWriter(dir / "a.bin", 0, 0); }).find("vocabulary size 0"),
            std::string::npos);
  std::string message = error_of([&] { TokenShardWriter(dir / "b.bin", 100, 100); });
  EXPECT_NE(message.find("end-of-text id 100"), std::string::npos) << message;
  EXPECT_FALSE(fs::exists(dir / "b.bin"));
}

TEST(TokenShard, WriterUsesATemporaryUntilCommit) {
  auto dir = temp_dir("shard-atomic");
  auto file = dir / "train.bin";
  auto temp = dir / ("train.bin.tmp-" + std::to_string(::getpid()));
  {
    TokenShardWriter writer(file, 100, 99);
    writer.add_document(std::vector<TokenId>{1, 2, 3});
    EXPECT_TRUE(fs::exists(temp));
    EXPECT_FALSE(fs::exists(file));
  }
  EXPECT_FALSE(fs::exists(temp));  // dropped without commit
  EXPECT_FALSE(fs::exists(file));

  test::write_text(dir / "train.bin.tmp-999999", "left by a killed writer");
  TokenShardWriter writer(file, 100, 99);
  EXPECT_FALSE(fs::exists(dir / "train.bin.tmp-999999"));
  writer.add_document(std::vector<TokenId>{4});
  writer.commit();
  EXPECT_FALSE(fs::exists(temp));
  EXPECT_EQ(read_all(TokenShard(file)), (std::vector<TokenId>{4, 99}));
}

// ---- reader errors ----

TEST(TokenShard, MissingFileIsNamed) {
  auto file = temp_dir("shard-missing") / "nope.bin";
  std::string message = error_of([&] { TokenShard shard(file); });
  EXPECT_NE(message.find(file.string()), std::string::npos) << message;
  EXPECT_NE(message.find("does not exist"), std::string::npos) << message;
}

TEST(TokenShard, FileSmallerThanTheHeaderIsRefused) {
  auto file = temp_dir("shard-small") / "small.bin";
  write_bytes(file, std::string("FRGTOKS\0\x01", 9));
  std::string message = error_of([&] { TokenShard shard(file); });
  EXPECT_NE(message.find(file.string()), std::string::npos) << message;
  EXPECT_NE(message.find("is 9 bytes, smaller than the 64-byte header"), std::string::npos)
      << message;
}

TEST(TokenShard, WrongMagicIsNotAForgeTokenShard) {
  auto file = temp_dir("shard-magic") / "llmc.bin";
  write_bytes(file, std::string(1024, '\x07'));
  std::string message = error_of([&] { TokenShard shard(file); });
  EXPECT_NE(message.find(file.string()), std::string::npos) << message;
  EXPECT_NE(message.find("is not a Forge token shard"), std::string::npos) << message;
}

TEST(TokenShard, UnsupportedVersionSaysWhichIsSupported) {
  auto file = temp_dir("shard-version") / "v2.bin";
  write_shard(file, 100, 99, {{1, 2}});
  std::string bytes = raw_bytes(file);
  bytes[8] = 2;
  write_bytes(file, bytes);
  std::string message = error_of([&] { TokenShard shard(file); });
  EXPECT_NE(message.find(file.string()), std::string::npos) << message;
  EXPECT_NE(message.find("format version 2"), std::string::npos) << message;
  EXPECT_NE(message.find("reads version 1 only"), std::string::npos) << message;
}

TEST(TokenShard, DamagedHeaderIsRefused) {
  auto file = temp_dir("shard-width") / "w3.bin";
  write_shard(file, 100, 99, {{1, 2}});
  std::string bytes = raw_bytes(file);
  bytes[12] = 3;
  write_bytes(file, bytes);
  std::string message = error_of([&] { TokenShard shard(file); });
  EXPECT_NE(message.find("damaged header (token width 3"), std::string::npos) << message;
}

TEST(TokenShard, TruncatedOrPaddedFileIsRefused) {
  auto file = temp_dir("shard-truncated") / "cut.bin";
  write_shard(file, 100277, 100257, {{1, 2, 3, 4}});
  fs::resize_file(file, fs::file_size(file) - 3);
  std::string message = error_of([&] { TokenShard shard(file); });
  EXPECT_NE(message.find(file.string()), std::string::npos) << message;
  EXPECT_NE(message.find("is truncated: its header counts 5 tokens of 4 bytes"), std::string::npos)
      << message;
  EXPECT_NE(message.find("file is 81 bytes"), std::string::npos) << message;

  fs::resize_file(file, 64 + 5 * 4 + 4);
  message = error_of([&] { TokenShard shard(file); });
  EXPECT_NE(message.find("has trailing bytes"), std::string::npos) << message;
}

TEST(TokenShard, EmptyShardHasNoTokens) {
  auto file = temp_dir("shard-empty") / "empty.bin";
  write_shard(file, 100, 99, {});
  EXPECT_EQ(fs::file_size(file), 64u);
  TokenShard shard(file);
  EXPECT_EQ(shard.size(), 0u);
  shard.read(0, 0, nullptr);
}

TEST(TokenShard, MovedShardKeepsItsMapping) {
  auto file = temp_dir("shard-move") / "m.bin";
  auto expected = write_shard(file, 100, 99, {{5, 6, 7}});
  std::vector<TokenShard> shards;
  shards.emplace_back(file);
  shards.emplace_back(file);  // reallocation moves the first
  TokenShard moved = std::move(shards.front());
  EXPECT_EQ(read_all(moved), expected);
  EXPECT_EQ(read_all(shards.back()), expected);
}

// ---- reading speed ----

// The reader maps the file: reads are memory copies, never a system call per token.
TEST(TokenShard, OneMegabyteShardReadsAtMemorySpeed) {
  auto file = temp_dir("shard-speed") / "speed.bin";
  std::vector<TokenId> document(512 * 1024 - 1);
  for (std::size_t i = 0; i < document.size(); ++i)
    document[i] = static_cast<TokenId>(i * 7919 % 50257);
  auto expected = write_shard(file, 50257, 50256, {document});
  ASSERT_EQ(fs::file_size(file), 64u + 1024 * 1024);

  TokenShard shard(file);
  std::string maps = test::read_text("/proc/self/maps");
  EXPECT_NE(maps.find(fs::canonical(file).string()), std::string::npos) << "shard is not mmapped";

  std::vector<TokenId> out(shard.size());
  constexpr int kPasses = 20;
  constexpr std::size_t kChunk = 1024;
  auto start = std::chrono::steady_clock::now();
  for (int pass = 0; pass < kPasses; ++pass) {
    for (std::size_t at = 0; at < shard.size(); at += kChunk) {
      shard.read(at, std::min<std::size_t>(kChunk, shard.size() - at), out.data() + at);
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(out, expected);
  // 10M tokens: about 10 ms from memory, several seconds with a read() per token.
  EXPECT_LT(seconds, 1.0) << kPasses << " passes over 1 MB took " << seconds << " s";
}

}  // namespace
}  // namespace forge
