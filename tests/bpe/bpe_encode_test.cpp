// The BPE merge loop: the heap used for long pieces gives exactly what plain scans give, on a
// random vocabulary whose merges overlap in every way; and vocabulary file round trips.
#include <forge/random.h>

#include "bpe/bpe_encode.h"
#include "bpe/tiktoken_file.h"
#include "support/test_support.h"

#include <gtest/gtest.h>

#include <chrono>
#include <set>

namespace forge::bpe {
namespace {

// The 256 bytes, then `merges` tokens each the concatenation of two earlier tokens over a
// four-letter alphabet, so that long runs of those letters merge in many competing ways.
std::vector<std::string> random_tokens(std::size_t merges, std::uint64_t seed) {
  std::vector<std::string> tokens;
  for (int b = 0; b < 256; ++b) tokens.push_back(std::string(1, static_cast<char>(b)));
  std::set<std::string> seen(tokens.begin(), tokens.end());
  Generator g(seed);
  const std::string letters = "abcd";
  std::vector<std::size_t> pool;
  for (char c : letters) pool.push_back(static_cast<unsigned char>(c));
  while (tokens.size() < 256 + merges) {
    std::string made =
        tokens[pool[g.next_u64() % pool.size()]] + tokens[pool[g.next_u64() % pool.size()]];
    if (made.size() > 12 || !seen.insert(made).second) continue;
    pool.push_back(tokens.size());
    tokens.push_back(made);
  }
  return tokens;
}

std::string random_text(std::size_t length, Generator& g) {
  std::string text;
  for (std::size_t i = 0; i < length; ++i) text += "abcdab"[g.next_u64() % 6];
  return text;
}

TEST(BpeEncode, TheHeapMergesExactlyAsScansDo) {
  Vocabulary vocabulary(random_tokens(300, 1));
  Generator g(2);
  for (int trial = 0; trial < 300; ++trial) {
    const std::string piece = random_text(1 + g.next_u64() % 600, g);
    std::vector<TokenId> fast, reference;
    encode_piece(vocabulary, piece, fast);
    encode_piece_by_scans(vocabulary, piece, reference);
    ASSERT_EQ(fast, reference) << "piece of " << piece.size() << " bytes: " << piece;
    std::string decoded;
    for (TokenId id : fast) decoded += vocabulary.bytes(id);
    ASSERT_EQ(decoded, piece);
  }
}

TEST(BpeEncode, MergesTheLowestRankFirstAndTheLeftmostOnTies) {
  // Ranks: "ab" 256 before "bc" 257, so "abc" -> ["ab", "c"]; "aaa" -> ["aa", "a"].
  std::vector<std::string> tokens;
  for (int b = 0; b < 256; ++b) tokens.push_back(std::string(1, static_cast<char>(b)));
  for (const char* t : {"ab", "bc", "aa"}) tokens.push_back(t);
  Vocabulary vocabulary(tokens);
  std::vector<TokenId> out;
  encode_piece(vocabulary, "abc", out);
  EXPECT_EQ(out, (std::vector<TokenId>{256, 'c'}));
  out.clear();
  encode_piece(vocabulary, "aaa", out);
  EXPECT_EQ(out, (std::vector<TokenId>{258, 'a'}));
}

TEST(BpeEncode, ALongPieceCostsNoQuadraticTime) {
  Vocabulary vocabulary(random_tokens(300, 3));
  Generator g(4);
  const std::string piece = random_text(1 << 20, g);  // 1 MB in one piece
  const double start = test::thread_cpu_seconds();
  std::vector<TokenId> out;
  encode_piece(vocabulary, piece, out);
  EXPECT_LT(test::thread_cpu_seconds() - start, 1.0);
  std::size_t bytes = 0;
  for (TokenId id : out) bytes += vocabulary.bytes(id).size();
  EXPECT_EQ(bytes, piece.size());
}

TEST(Vocabulary, RefusesMissingBytesAndDuplicates) {
  EXPECT_THROW(Vocabulary(std::vector<std::string>{"a", "b"}), Error);
  std::vector<std::string> tokens = random_tokens(4, 5);
  tokens.push_back(tokens[300 - 44]);  // a repeat of an earlier token
  EXPECT_THROW(Vocabulary{tokens}, Error);
}

TEST(TiktokenFile, RoundTripsAndNamesBadLines) {
  auto dir = test::temp_dir("tiktoken-file");
  std::vector<std::string> tokens = random_tokens(50, 6);
  tokens[260].clear();  // a gap in the ranks survives
  write_tiktoken(dir / "v.tiktoken", tokens);
  EXPECT_EQ(read_tiktoken(dir / "v.tiktoken"), tokens);
  test::write_text(dir / "bad.tiktoken", "YQ== 0\nYg==\n");
  try {
    read_tiktoken(dir / "bad.tiktoken");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.tiktoken:2: no space between token and rank"),
              std::string::npos)
        << e.what();
  }
  for (const std::string& bytes : {std::string(""), std::string("a"), std::string("ab"),
                                   std::string("abc"), std::string("\xff\x00\x80", 3)})
    EXPECT_EQ(base64_decode(base64_encode(bytes)), bytes);
  EXPECT_EQ(base64_encode("hello"), "aGVsbG8=");
  EXPECT_THROW(base64_decode("a*=="), Error);
}

// encoder.json and vocab.bpe in GPT-2's own spelling: "Ġ" is the space byte.
TEST(Gpt2Files, ReadsRanksFromTheMergesAndSpecialsFromTheEncoder) {
  auto dir = test::temp_dir("gpt2-files");
  std::string encoder = "{";
  // The first 256 ids in GPT-2's order: printable bytes, then the rest mapped above U+00FF.
  std::vector<std::string> names;
  for (int b = 0; b < 256; ++b) {
    const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
    if (printable)
      names.push_back(b < 0x80 ? std::string(1, static_cast<char>(b))
                               : "\\u00" + std::string(1, "0123456789abcdef"[b >> 4]) +
                                     "0123456789abcdef"[b & 15]);
  }
  for (int i = 0; static_cast<int>(names.size()) < 256; ++i) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "\\u%04x", 256 + i);
    names.push_back(hex);
  }
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::string name = names[i] == "\"" ? "\\\"" : names[i] == "\\" ? "\\\\" : names[i];
    encoder += "\"" + name + "\": " + std::to_string(i) + ",";
  }
  encoder += "\"\\u0120t\": 256, \"\\u0120th\": 257, \"<|endoftext|>\": 258}";
  test::write_text(dir / "encoder.json", encoder);
  test::write_text(dir / "vocab.bpe", "#version: 0.2\n\xc4\xa0 t\n\xc4\xa0t h\n");
  Gpt2Files files = read_gpt2_files(dir / "encoder.json", dir / "vocab.bpe");
  ASSERT_EQ(files.tokens.size(), 258u);
  EXPECT_EQ(files.tokens[0], "!");
  EXPECT_EQ(files.tokens[256], " t");
  EXPECT_EQ(files.tokens[257], " th");
  ASSERT_EQ(files.special_tokens.size(), 1u);
  EXPECT_EQ(files.special_tokens[0], (std::pair<std::string, int>{"<|endoftext|>", 258}));
}

}  // namespace
}  // namespace forge::bpe
