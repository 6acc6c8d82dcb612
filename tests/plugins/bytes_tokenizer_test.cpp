#include <forge/error.h>
#include <forge/tokenizer.h>

#include "support/test_support.h"

#include <gtest/gtest.h>

#include <functional>
#include <random>
#include <string>
#include <vector>

namespace forge {
namespace {

using test::make_plugin;

std::unique_ptr<Tokenizer> bytes(const std::string& options = "") {
  return make_plugin<Tokenizer>("{plugin: bytes" + (options.empty() ? "" : ", " + options) + "}");
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    return error.what();
  }
  return "(no error)";
}

TEST(BytesTokenizer, RoundTripsRandomBytesIncludingInvalidUtf8) {
  auto tokenizer = bytes();
  std::mt19937 random(20240607);
  std::uniform_int_distribution<int> byte(0, 255), size(0, 300);
  for (int trial = 0; trial < 200; ++trial) {
    std::string text(static_cast<std::size_t>(size(random)), '\0');
    for (char& c : text) c = static_cast<char>(byte(random));
    std::vector<TokenId> ids = tokenizer->encode(text);
    ASSERT_EQ(ids.size(), text.size());
    for (std::size_t i = 0; i < ids.size(); ++i)
      ASSERT_EQ(ids[i], static_cast<unsigned char>(text[i]));
    ASSERT_EQ(tokenizer->decode(ids), text);
  }
  std::string broken = "caf\xC3\xA9 \xC3 \xFF\xFE \xED\xA0\x80 \x00 end";
  EXPECT_EQ(tokenizer->decode(tokenizer->encode(broken)), broken);
}

TEST(BytesTokenizer, DefaultsToOneEndOfTextAfterTheBytes) {
  auto tokenizer = bytes();
  EXPECT_EQ(tokenizer->vocab_size(), 257u);
  EXPECT_EQ(tokenizer->end_of_text(), 256);
  EXPECT_EQ(tokenizer->special_token("<|endoftext|>"), 256);
  EXPECT_EQ(tokenizer->special_token("<|im_start|>"), std::nullopt);
}

TEST(BytesTokenizer, SpecialTokensFollowTheBytesInOrderAndAreNeverEncoded) {
  auto tokenizer = bytes(
      "special_tokens: ['<|im_start|>', '<|im_end|>', '<|endoftext|>'], end_of_text: "
      "'<|endoftext|>'");
  EXPECT_EQ(tokenizer->vocab_size(), 259u);
  EXPECT_EQ(tokenizer->end_of_text(), 258);
  using Specials = std::vector<std::pair<std::string, TokenId>>;
  EXPECT_EQ(tokenizer->special_tokens(),
            (Specials{{"<|im_start|>", 256}, {"<|im_end|>", 257}, {"<|endoftext|>", 258}}));
  // Their spelling in text is plain bytes.
  std::string text = "a<|im_end|>b<|endoftext|>";
  std::vector<TokenId> ids = tokenizer->encode(text);
  EXPECT_EQ(ids.size(), text.size());
  for (TokenId id : ids) EXPECT_LT(id, 256);
  // Decoding a special id gives its spelling.
  std::vector<TokenId> with_specials{'H', 256, 'i', 257, 258};
  EXPECT_EQ(tokenizer->decode(with_specials), "H<|im_start|>i<|im_end|><|endoftext|>");
}

TEST(BytesTokenizer, DecodingAnIdOutsideTheVocabularyNamesIt) {
  auto tokenizer = bytes();
  std::vector<TokenId> too_big{'a', 257};
  std::string message = error_of([&] { tokenizer->decode(too_big); });
  EXPECT_NE(message.find("token id 257 at position 1"), std::string::npos) << message;
  EXPECT_NE(message.find("[0, 257)"), std::string::npos) << message;
  std::vector<TokenId> negative{-3};
  message = error_of([&] { tokenizer->decode(negative); });
  EXPECT_NE(message.find("token id -3"), std::string::npos) << message;
}

TEST(BytesTokenizer, EndOfTextMustBeASpecialToken) {
  std::string message =
      error_of([] { bytes("special_tokens: ['<|a|>', '<|b|>'], end_of_text: '<|eot|>'"); });
  EXPECT_NE(message.find("end_of_text: '<|eot|>' is not one of the special tokens ('<|a|>', "
                         "'<|b|>')"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("<test>:1:"), std::string::npos) << message;  // located in the recipe
  message = error_of([] { bytes("special_tokens: []"); });
  EXPECT_NE(message.find("is not one of the special tokens (none)"), std::string::npos) << message;
}

TEST(BytesTokenizer, RefusesDuplicateOrEmptySpecialTokens) {
  std::string message =
      error_of([] { bytes("special_tokens: ['<|endoftext|>', '<|endoftext|>']"); });
  EXPECT_NE(message.find("special_tokens: special token '<|endoftext|>' is listed twice"),
            std::string::npos)
      << message;
  message = error_of([] { bytes("special_tokens: ['', '<|endoftext|>']"); });
  EXPECT_NE(message.find("a special token is empty"), std::string::npos) << message;
}

TEST(BytesTokenizer, SerializeRebuildsTheSameTokenizer) {
  auto original = bytes("special_tokens: ['<|pad|>', '<|eot|>', '<|x|>'], end_of_text: '<|eot|>'");
  std::string serialized = original->serialize();
  ASSERT_EQ(serialized.find('\''), std::string::npos);  // safe inside single quotes below
  // The other keys are ignored when `serialized` is given.
  auto restored = bytes("serialized: '" + serialized + "', special_tokens: ['<|other|>']");
  EXPECT_EQ(restored->vocab_size(), original->vocab_size());
  EXPECT_EQ(restored->end_of_text(), 257);
  EXPECT_EQ(restored->special_tokens(), original->special_tokens());
  EXPECT_EQ(restored->serialize(), serialized);
  std::vector<TokenId> ids{'o', 'k', 256, 258};
  EXPECT_EQ(restored->decode(ids), original->decode(ids));
}

TEST(BytesTokenizer, RefusesASerializedTextItCannotRead) {
  std::string message = error_of([] { bytes("serialized: 'not json'"); });
  EXPECT_NE(message.find("serialized: is not a JSON object"), std::string::npos) << message;
  message = error_of([] { bytes(R"(serialized: '{"type": "bpe", "version": 1}')"); });
  EXPECT_NE(message.find("type 'bpe', not 'bytes'"), std::string::npos) << message;
  message = error_of([] { bytes(R"(serialized: '{"type": "bytes", "version": 9}')"); });
  EXPECT_NE(message.find("format version 9"), std::string::npos) << message;
  message = error_of([] {
    bytes(R"(serialized: '{"type": "bytes", "version": 1, "special_tokens": ["<|a|>"], )"
          R"("end_of_text": "<|b|>"}')");
  });
  EXPECT_NE(message.find("'<|b|>' is not one of the special tokens ('<|a|>')"), std::string::npos)
      << message;
}

}  // namespace
}  // namespace forge
