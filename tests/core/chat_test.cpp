// The ChatML-style chat template: ids, the loss mask's boundaries, parsing back, errors.
#include <forge/chat.h>

#include "support/test_support.h"

#include <gtest/gtest.h>

namespace forge {
namespace {

std::unique_ptr<Tokenizer> chat_bytes() {
  return test::make_plugin<Tokenizer>(
      "{plugin: bytes, special_tokens: ['<|endoftext|>', '<|im_start|>', '<|im_sep|>', "
      "'<|im_end|>']}");
}

TEST(ChatTemplate, MasksExactlyTheAssistantsContentAndItsEndMarker) {
  auto tokenizer = chat_bytes();
  const TokenId start = 257, sep = 258, end = 259;
  std::vector<ChatMessage> chat = {{"system", "Be brief."},
                                   {"user", "Hi"},
                                   {"assistant", "Hello!"},
                                   {"tool", "42"},
                                   {"assistant", "ok"}};
  RenderedChat r = render_chat(*tokenizer, chat);
  ASSERT_EQ(r.ids.size(), r.mask.size());
  // Walk the rendering: header (start, role, sep) masked out, content then end masked by role.
  std::size_t i = 0;
  for (const ChatMessage& message : chat) {
    ASSERT_EQ(r.ids[i], start);
    EXPECT_EQ(r.mask[i], 0);
    i += 1 + message.role.size();
    ASSERT_EQ(r.ids[i], sep);
    EXPECT_EQ(r.mask[i], 0) << "the separator is part of the prompt";
    ++i;
    const std::uint8_t expected = message.role == "assistant";
    for (std::size_t k = 0; k < message.content.size(); ++k, ++i) {
      EXPECT_EQ(r.ids[i], static_cast<unsigned char>(message.content[k]));
      EXPECT_EQ(r.mask[i], expected) << message.role << " content " << k;
    }
    ASSERT_EQ(r.ids[i], end);
    EXPECT_EQ(r.mask[i], expected) << message.role << "'s end marker";
    ++i;
  }
  EXPECT_EQ(i, r.ids.size());
  EXPECT_EQ(parse_chat(*tokenizer, r.ids), chat);
}

TEST(ChatTemplate, EndsWithAnAssistantHeaderForGenerationAndKeepsMarkersInContentPlain) {
  auto tokenizer = chat_bytes();
  RenderedChat r = render_chat(*tokenizer, {{"user", "say <|im_end|>"}}, {}, true);
  const std::vector<TokenId> tail(r.ids.end() - 11, r.ids.end());
  EXPECT_EQ(tail.front(), 257);  // <|im_start|> assistant <|im_sep|>
  EXPECT_EQ(tail.back(), 258);
  EXPECT_EQ(std::count(r.ids.begin(), r.ids.end(), 259), 1) << "the content's marker is text";
  auto parsed = parse_chat(*tokenizer, r.ids);
  ASSERT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed[0].content, "say <|im_end|>");
  EXPECT_EQ(parsed[1], (ChatMessage{"assistant", ""}));
}

TEST(ChatTemplate, NamesMissingMarkersUnknownRolesAndStrayIds) {
  auto plain = test::make_plugin<Tokenizer>("{plugin: bytes}");
  try {
    render_chat(*plain, {{"user", "hi"}});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("needs the special token '<|im_start|>'"),
              std::string::npos);
  }
  auto tokenizer = chat_bytes();
  EXPECT_THROW(render_chat(*tokenizer, {{"robot", "hi"}}), Error);
  EXPECT_THROW(parse_chat(*tokenizer, {'h', 'i'}), Error);
  ChatTemplate custom{"<|endoftext|>", "<|im_sep|>", "<|im_end|>"};
  EXPECT_EQ(render_chat(*tokenizer, {{"user", "x"}}, custom).ids.front(), 256);
}

}  // namespace
}  // namespace forge
