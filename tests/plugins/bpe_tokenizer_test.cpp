// Tokenizer plugin bpe: built-in encodings, files with sidecars, added special tokens,
// serialization, round trips on arbitrary bytes, and long inputs.
#include <forge/random.h>
#include <forge/tokenizer.h>

#include "bpe/bpe_files.h"
#include "support/test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>

namespace forge {
namespace {

std::unique_ptr<Tokenizer> bpe(const std::string& keys) {
  return test::make_plugin<Tokenizer>("{plugin: bpe, " + keys + "}");
}

std::string random_bytes(std::size_t n, Generator& g) {
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(g.next_u64() & 0xFF);
  return out;
}

// Random code points from every plane, including astral ones, as UTF-8.
std::string random_unicode(std::size_t n, Generator& g) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    char32_t cp = static_cast<char32_t>(g.next_u64() % 0x110000);
    if (cp >= 0xD800 && cp < 0xE000) cp = 'x';  // surrogates are not characters
    if (g.next_u64() % 3 == 0) cp = static_cast<char32_t>(" \n\ta1'."[g.next_u64() % 7]);
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

TEST(BpeTokenizer, DecodesWhatItEncodesForAnyBytesOrText) {
  Generator g(11);
  for (const char* encoding : {"gpt2", "cl100k_base", "o200k_base"}) {
    auto tokenizer = bpe(std::string("encoding: ") + encoding);
    for (int trial = 0; trial < 200; ++trial) {
      const std::string bytes = random_bytes(1 + g.next_u64() % 300, g);
      ASSERT_EQ(tokenizer->decode(tokenizer->encode(bytes)), bytes) << encoding;
      const std::string text = random_unicode(1 + g.next_u64() % 200, g);
      ASSERT_EQ(tokenizer->decode(tokenizer->encode(text)), text) << encoding;
    }
  }
}

TEST(BpeTokenizer, EncodesAMegabyteOfOneCharacterInUnderASecond) {
  auto tokenizer = bpe("encoding: cl100k_base");
  for (char c : {'a', ' ', '1', '!', '\n'}) {
    const std::string text(1 << 20, c);
    const double start = test::thread_cpu_seconds();
    std::vector<TokenId> ids = tokenizer->encode(text);
    const double seconds = test::thread_cpu_seconds() - start;
    EXPECT_LT(seconds, 1.0) << "'" << c << "'";
    EXPECT_EQ(tokenizer->decode(ids), text);
  }
}

TEST(BpeTokenizer, AddsSpecialTokensAndHonoursTheSpecialPolicy) {
  auto tokenizer = bpe("encoding: cl100k_base, special_tokens: ['<|im_start|>', '<|im_end|>']");
  EXPECT_EQ(tokenizer->special_token("<|im_start|>"), 100277);
  EXPECT_EQ(tokenizer->special_token("<|im_end|>"), 100278);
  EXPECT_EQ(tokenizer->vocab_size(), 100279u);
  SpecialTextPolicy allow;
  allow.allow_all = true;
  EXPECT_EQ(tokenizer->encode_with_special("hello<|endoftext|>", allow),
            (std::vector<TokenId>{15339, 100257}));
  EXPECT_THROW(tokenizer->encode_with_special("hello<|endoftext|>", SpecialTextPolicy{}), Error);
  EXPECT_NE(tokenizer->encode("<|endoftext|>").size(), 1u) << "plain encode makes no special";
}

TEST(BpeTokenizer, FilesAndSerializationRebuildTheSameTokenizer) {
  auto dir = test::temp_dir("bpe-files");
  auto original = bpe("encoding: o200k_base, special_tokens: ['<|im_sep|>']");
  const std::string text = "Hello, World! iPhone 12345 — naïve café\n\n  end";
  // serialize() -> serialized: the checkpoint route.
  auto rebuilt = test::make_plugin<Tokenizer>(
      "{plugin: bpe, serialized: " + nlohmann::json(original->serialize()).dump() + "}");
  EXPECT_EQ(rebuilt->encode(text), original->encode(text));
  EXPECT_EQ(rebuilt->special_tokens(), original->special_tokens());
  // A .tiktoken file with its sidecar.
  bpe::save_tokenizer(dir / "o200k.tiktoken", bpe::load_builtin("o200k_base"));
  auto from_file = bpe("path: '" + (dir / "o200k.tiktoken").string() + "'");
  EXPECT_EQ(from_file->encode(text), bpe("encoding: o200k_base")->encode(text));
  // Another pattern over the same ranks changes the pieces, not the vocabulary.
  auto other = bpe("encoding: o200k_base, pattern: r50k_base");
  EXPECT_EQ(other->vocab_size(), 200019u);
  EXPECT_EQ(from_file->encode("don't"), (std::vector<TokenId>{91418}));
  EXPECT_EQ(other->encode("don't").size(), 2u);  // r50k splits "don", "'t"
}

TEST(BpeTokenizer, RefusesAmbiguousOrMissingSources) {
  EXPECT_THROW(bpe("encoding: cl100k_base, path: x.tiktoken"), Error);
  EXPECT_THROW(test::make_plugin<Tokenizer>("{plugin: bpe}"), Error);
  try {
    bpe("path: /nonexistent/v.tiktoken");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/v.tiktoken"), std::string::npos);
  }
  EXPECT_THROW(bpe("encoding: cl100k_base, pattern: '(unclosed'"), Error);
}

TEST(TokenizeCommand, PrintsIdsAndPieces) {
  auto ids = test::run_forge({"tokenize", "--tokenizer", "cl100k_base", "--text", "hello world"});
  ASSERT_EQ(ids.exit_code, 0) << ids.output;
  EXPECT_NE(ids.output.find("15339 1917\n"), std::string::npos) << ids.output;
  EXPECT_NE(ids.output.find("2 tokens, 11 bytes, 5.500 bytes per token"), std::string::npos);
  auto pieces = test::run_forge(
      {"tokenize", "--tokenizer", "o200k_base", "--text", "iPhone 12345", "--pieces"});
  ASSERT_EQ(pieces.exit_code, 0) << pieces.output;
  EXPECT_NE(pieces.output.find("\"i\" \"Phone\" \" \" \"123\" \"45\""), std::string::npos)
      << pieces.output;
  EXPECT_EQ(test::run_forge({"tokenize", "--tokenizer", "cl100k_typo", "--text", "x"}).exit_code,
            2);
  EXPECT_EQ(test::run_forge({"tokenize", "--tokenizer", "gpt2"}).exit_code, 2);
}

}  // namespace
}  // namespace forge
