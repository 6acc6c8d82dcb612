// The ChatML-style chat template: ids, the loss mask's boundaries, parsing back, errors.
#include <forge/chat.h>

#include "support/test_support.h"

#include <gtest/gtest.h>

namespace forge {
namespace {

std::unique_ptr<Tokenizer> chat_bytes() {
  return test::make_plugin<Tokenizer>(
      "{plugin: bytes, special_tokens: ['<|endoftext|>', '<|im_start|>', '<|im_sep|>', "
      "'<|im_end|>', '<|tool_start|>', '<|tool_end|>', '<|output_start|>', '<|output_end|>']}");
}

TEST(ChatTemplate, MasksExactlyTheAssistantsContentAndItsEndMarker) {
  auto tokenizer = chat_bytes();
  const TokenId start = 257, sep = 258, end = 259;
  std::vector<ChatMessage> chat = {{"system", "Be brief."},
                                   {"user", "Hi"},
                                   {"assistant", "Hello!"},
                                   {"user", "Bye"},
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

TEST(ChatTemplate, ToolCallsAndOutputsStayInsideOneAssistantTurn) {
  auto tokenizer = chat_bytes();
  const TokenId end = 259, call = 260, call_end = 261, output = 262, output_end = 263;
  std::vector<ChatMessage> chat = {
      {"user", "How many r in strawberry?"},
      {"assistant", "Let me count.", {{"python", "print('strawberry'.count('r'))"}}},
      {"tool", "3"},
      {"assistant", "There are 3."}};
  RenderedChat r = render_chat(*tokenizer, chat);
  auto at = [&](TokenId id) {
    return static_cast<std::size_t>(std::find(r.ids.begin(), r.ids.end(), id) - r.ids.begin());
  };
  EXPECT_EQ(std::count(r.ids.begin(), r.ids.end(), 257), 2) << "one user and one assistant header";
  EXPECT_EQ(std::count(r.ids.begin(), r.ids.end(), end), 2);
  ASSERT_LT(at(output_end), r.ids.size());
  EXPECT_EQ(r.mask[at(call)], 1);
  EXPECT_EQ(r.mask[at(call_end)], 1) << "the assistant learns to close its call";
  for (std::size_t i = at(output); i <= at(output_end); ++i)
    EXPECT_EQ(r.mask[i], 0) << "the tool's output is not the assistant's, position " << i;
  EXPECT_EQ(r.mask[at(output_end) + 1], 1) << "the reply after the output is learned";
  EXPECT_EQ(r.mask.back(), 1);
  EXPECT_EQ(tokenizer->decode({r.ids.begin() + at(call) + 1, r.ids.begin() + at(call_end)}),
            "python print('strawberry'.count('r'))");
  EXPECT_EQ(parse_chat(*tokenizer, r.ids), chat);

  // For generation after the output, the assistant's turn stays open: no new header.
  std::vector<ChatMessage> pending(chat.begin(), chat.begin() + 3);
  RenderedChat g = render_chat(*tokenizer, pending, {}, true);
  EXPECT_EQ(g.ids.back(), output_end);
  EXPECT_EQ(parse_chat(*tokenizer, g.ids), pending);

  // A model that writes text after its call without waiting is read as two messages.
  std::vector<ChatMessage> eager = {{"assistant", "a", {{"calculator", "1+1"}}},
                                    {"assistant", "b"}};
  std::vector<TokenId> ids = render_chat(*tokenizer, {eager[0]}).ids;
  ids.pop_back();  // drop its end marker and write on
  ids.push_back('b');
  ids.push_back(end);
  EXPECT_EQ(parse_chat(*tokenizer, ids), eager);
}

TEST(ChatTemplate, ToolMessagesNeedACallerAndToolsNeedTheirMarkers) {
  auto tokenizer = chat_bytes();
  EXPECT_THROW(render_chat(*tokenizer, {{"user", "hi"}, {"tool", "3"}}), Error);
  EXPECT_THROW(render_chat(*tokenizer, {{"user", "hi", {{"python", "1"}}}}), Error);
  EXPECT_THROW(render_chat(*tokenizer, {{"assistant", "", {{"two words", "1"}}}}), Error);
  auto no_tools = test::make_plugin<Tokenizer>(
      "{plugin: bytes, special_tokens: ['<|endoftext|>', '<|im_start|>', '<|im_sep|>', "
      "'<|im_end|>']}");
  EXPECT_NO_THROW(render_chat(*no_tools, {{"user", "hi"}, {"assistant", "hello"}}));
  try {
    render_chat(*no_tools, {{"assistant", "", {{"python", "1"}}}});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'<|tool_start|>'"), std::string::npos) << e.what();
  }
}

TEST(ChatJson, ReadsOpenAiMessagesAndWritesThemBack) {
  auto json = nlohmann::json::parse(R"json([
    {"role": "developer", "content": "Be brief."},
    {"role": "user", "content": [{"type": "text", "text": "How many "}, {"type": "text", "text": "r?"}]},
    {"role": "assistant", "content": null, "tool_calls": [
      {"id": "c1", "type": "function", "function": {"name": "python", "arguments": "print(3)"}}]},
    {"role": "tool", "tool_call_id": "c1", "content": "3"},
    {"role": "assistant", "content": "3."}])json");
  std::vector<ChatMessage> chat = chat_from_json(json);
  ASSERT_EQ(chat.size(), 5u);
  EXPECT_EQ(chat[0], (ChatMessage{"system", "Be brief."}));
  EXPECT_EQ(chat[1].content, "How many r?");
  EXPECT_EQ(chat[2], (ChatMessage{"assistant", "", {{"python", "print(3)"}}}));
  EXPECT_EQ(chat_from_json(chat_to_json(chat)), chat);
  auto message_of = [](const std::string& text) {
    try {
      chat_from_json(nlohmann::json::parse(text), "line 7");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message_of(R"([{"role": "robot", "content": "x"}])").find("line 7[0].role"),
            std::string::npos);
  EXPECT_NE(message_of(R"([{"content": "x"}])").find("line 7[0].role: expected a string"),
            std::string::npos);
  EXPECT_NE(message_of(R"([{"role": "user", "content": 3}])").find("line 7[0].content"),
            std::string::npos);
  EXPECT_NE(message_of(R"({"role": "user"})").find("expected a list of messages"),
            std::string::npos);
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
