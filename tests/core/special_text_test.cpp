// Tokenizer::encode_with_special (tiktoken's allowed/disallowed special tokens) and
// encode_batch, through the bytes tokenizer.
#include <forge/tokenizer.h>

#include "support/test_support.h"

#include <gtest/gtest.h>

namespace forge {
namespace {

std::unique_ptr<Tokenizer> tokenizer() {
  return test::make_plugin<Tokenizer>(
      "{plugin: bytes, special_tokens: ['<|endoftext|>', '<|end|>', '<|endofprompt|>']}");
}

TEST(SpecialText, AllowedSpellingsBecomeTokensAndOthersAreRefused) {
  auto t = tokenizer();
  const std::string text = "a<|endoftext|>b<|end|>";
  SpecialTextPolicy all;
  all.allow_all = true;
  EXPECT_EQ(t->encode_with_special(text, all), (std::vector<TokenId>{'a', 256, 'b', 257}));
  SpecialTextPolicy one;
  one.allowed = {"<|endoftext|>"};
  try {
    t->encode_with_special(text, one);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("special token '<|end|>' at byte 15"), std::string::npos)
        << e.what();
  }
  one.refuse_others = false;  // the other spelling is plain text
  std::vector<TokenId> expected = {'a', 256, 'b'};
  for (char c : std::string("<|end|>")) expected.push_back(static_cast<unsigned char>(c));
  EXPECT_EQ(t->encode_with_special(text, one), expected);
  // The longest spelling wins where several start at the same place.
  EXPECT_EQ(t->encode_with_special("<|endofprompt|>", all), (std::vector<TokenId>{258}));
  EXPECT_EQ(t->encode_with_special("", all), (std::vector<TokenId>{}));
  EXPECT_EQ(t->encode(text).size(), text.size()) << "plain encode() never makes specials";
}

TEST(SpecialText, BatchEncodingEqualsOneByOne) {
  auto t = tokenizer();
  std::vector<std::string> texts;
  for (int i = 0; i < 200; ++i)
    texts.push_back(std::string(static_cast<std::size_t>(i), 'x') + "y");
  auto batch = t->encode_batch(texts, 2);
  ASSERT_EQ(batch.size(), texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) EXPECT_EQ(batch[i], t->encode(texts[i]));
}

}  // namespace
}  // namespace forge
