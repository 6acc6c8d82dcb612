// The tool loop of one assistant turn: a scripted model calls tools, their outputs are pasted
// between the output markers, generation resumes, and the turn reads back as parse_chat reads it.
#include <forge/sampler.h>

#include "engine/assistant_turn.h"
#include "engine/scripted_model.h"
#include "support/test_support.h"

#include <gtest/gtest.h>

#include <mutex>

namespace forge {
namespace {

using test::ScriptedModel;

constexpr TokenId kSep = 258, kEnd = 259, kCall = 260, kCallEnd = 261, kOut = 262, kOutEnd = 263;

const Tokenizer& chat_bytes() {
  static auto tokenizer = test::make_plugin<Tokenizer>(
      "{plugin: bytes, special_tokens: ['<|endoftext|>', '<|im_start|>', '<|im_sep|>', "
      "'<|im_end|>', '<|tool_start|>', '<|tool_end|>', '<|output_start|>', '<|output_end|>']}");
  return *tokenizer;
}

const Sampler& greedy() {
  static auto sampler = test::make_plugin<Sampler>("{plugin: greedy}");
  return *sampler;
}

// Builds a script from text and markers.
struct Script {
  std::vector<TokenId> ids;
  Script& text(const std::string& s) {
    for (TokenId id : chat_bytes().encode(s)) ids.push_back(id);
    return *this;
  }
  Script& call(const std::string& name, const std::string& arguments) {
    ids.push_back(kCall);
    text(name + " " + arguments);
    ids.push_back(kCallEnd);
    return *this;
  }
  Script& copy_output() {
    ids.push_back(ScriptedModel::kCopyOutput);
    return *this;
  }
};

ScriptedModel scripted(const Script& script, std::int64_t context = 1024) {
  return ScriptedModel(script.ids, static_cast<std::int64_t>(chat_bytes().vocab_size()), context,
                       {kSep, kEnd, kOut, kOutEnd});
}

// A tool double: "echo:" and its arguments; it counts its calls.
class Echo : public Tool {
 public:
  ToolResult run(const std::string& arguments, const ToolLimits&) const override {
    std::lock_guard lock(mutex_);
    calls.push_back(arguments);
    return ToolResult::ok("echo:" + arguments);
  }
  mutable std::vector<std::string> calls;

 private:
  mutable std::mutex mutex_;
};

TurnRequest ask(const std::string& question) {
  TurnRequest request;
  request.conversation = {{"system", "Use tools.", {}}, {"user", question, {}}};
  request.max_tokens = 200;
  return request;
}

TEST(AssistantTurn, CallsAToolPastesItsOutputAndResumes) {
  Echo echo;
  auto model = scripted(Script{}
                            .text("Let me check.")
                            .call("echo", "hi there")
                            .text("It said ")
                            .copy_output()
                            .text("."));
  std::string streamed;
  std::vector<TurnEvent> tool_events;
  TurnRequest request = ask("Say hi");
  TurnResult turn = assistant_turn(model, chat_bytes(), greedy(), {{"echo", &echo}}, {}, request,
                                   [&](const TurnEvent& event) {
                                     if (event.kind == TurnEvent::Kind::text)
                                       streamed += event.text;
                                     else
                                       tool_events.push_back(event);
                                   });
  EXPECT_EQ(echo.calls, std::vector<std::string>{"hi there"});
  const std::vector<ChatMessage> expected = {{"assistant", "Let me check.", {{"echo", "hi there"}}},
                                             {"tool", "echo:hi there", {}},
                                             {"assistant", "It said echo:hi there.", {}}};
  EXPECT_EQ(turn.messages, expected) << "the model read the pasted output and copied it";
  EXPECT_EQ(turn.finish, "stop");
  EXPECT_EQ(turn.tool_calls, 1);
  EXPECT_EQ(streamed, "Let me check.It said echo:hi there.");
  ASSERT_EQ(tool_events.size(), 2u);
  EXPECT_EQ(tool_events[0].kind, TurnEvent::Kind::tool_call);
  EXPECT_EQ(tool_events[0].call, (ToolCall{"echo", "hi there"}));
  EXPECT_EQ(tool_events[1].kind, TurnEvent::Kind::tool_output);
  EXPECT_EQ(tool_events[1].text, "echo:hi there");
  // The ids the model last saw, plus its final <|im_end|>, are the whole rendered conversation.
  std::vector<ChatMessage> all = request.conversation;
  all.insert(all.end(), turn.messages.begin(), turn.messages.end());
  std::vector<TokenId> seen = model.history();
  seen.push_back(kEnd);
  RenderedChat rendered = render_chat(chat_bytes(), all);
  EXPECT_EQ(rendered.ids, seen);
  // The turn's own tokens: what the model sampled (mask 1) and the pasted output (mask 0).
  const auto prompt = static_cast<std::ptrdiff_t>(
      render_chat(chat_bytes(), request.conversation, {}, true).ids.size());
  EXPECT_EQ(turn.tokens, std::vector<TokenId>(rendered.ids.begin() + prompt, rendered.ids.end()));
  EXPECT_EQ(turn.sampled,
            std::vector<std::uint8_t>(rendered.mask.begin() + prompt, rendered.mask.end()));
}

TEST(AssistantTurn, RunsTheCalculatorPlugin) {
  auto calculator = test::make_plugin<Tool>("{plugin: calculator}");
  auto model = scripted(Script{}.call("calculator", "2**64 + 1").copy_output());
  TurnResult turn =
      assistant_turn(model, chat_bytes(), greedy(), {{"calculator", calculator.get()}}, {},
                     ask("What is 2**64 + 1?"));
  ASSERT_EQ(turn.messages.size(), 3u);
  EXPECT_EQ(turn.messages[0], (ChatMessage{"assistant", "", {{"calculator", "2**64 + 1"}}}));
  EXPECT_EQ(turn.messages[1], (ChatMessage{"tool", "18446744073709551617", {}}));
  EXPECT_EQ(turn.messages[2].content, "18446744073709551617");
}

TEST(AssistantTurn, AnUnknownToolIsAnErrorForTheModel) {
  Echo echo;
  auto model = scripted(Script{}.call("nope", "x").text("ok"));
  TurnResult turn =
      assistant_turn(model, chat_bytes(), greedy(), {{"echo", &echo}}, {}, ask("Use nope"));
  ASSERT_EQ(turn.messages.size(), 3u);
  EXPECT_EQ(turn.messages[1].content, "error: there is no tool named 'nope'; the tools are: echo");
  EXPECT_EQ(turn.messages[2].content, "ok");
  EXPECT_TRUE(echo.calls.empty());
}

TEST(AssistantTurn, CallsPastTheLimitAreNotRun) {
  Echo echo;
  auto model = scripted(Script{}.call("echo", "1").call("echo", "2").text("done"));
  TurnRequest request = ask("Twice");
  request.limits.calls = 1;
  TurnResult turn = assistant_turn(model, chat_bytes(), greedy(), {{"echo", &echo}}, {}, request);
  EXPECT_EQ(echo.calls, std::vector<std::string>{"1"});
  ASSERT_EQ(turn.messages.size(), 5u);
  EXPECT_EQ(turn.messages[1].content, "echo:1");
  EXPECT_EQ(turn.messages[3].content,
            "error: the limit of 1 tool calls per turn is reached; the call was not run. Answer "
            "with what you have.");
  EXPECT_EQ(turn.messages[4].content, "done");
  EXPECT_EQ(turn.tool_calls, 2);
}

TEST(AssistantTurn, MaxTokensCountsWhatTheModelWritesAcrossCalls) {
  Echo echo;
  auto model = scripted(Script{}.call("echo", "a").text("0123456789"));
  TurnRequest request = ask("Count");
  request.max_tokens = 1 + 6 + 1 + 3;  // <|tool_start|> "echo a" <|tool_end|>, then 3 more
  TurnResult turn = assistant_turn(model, chat_bytes(), greedy(), {{"echo", &echo}}, {}, request);
  EXPECT_EQ(turn.finish, "length");
  ASSERT_EQ(turn.messages.size(), 3u);
  EXPECT_EQ(turn.messages[2].content, "012");
}

TEST(AssistantTurn, EndOfTextOrANewHeaderEndsTheTurnUnclosed) {
  for (TokenId stray : {TokenId{256}, TokenId{257}}) {  // <|endoftext|>, <|im_start|>
    Script script = Script{}.text("hi");
    script.ids.push_back(stray);
    script.text("user");
    auto model = scripted(script);
    TurnResult turn = assistant_turn(model, chat_bytes(), greedy(), {}, {}, ask("Hello"));
    EXPECT_EQ(turn.finish, "unclosed");
    ASSERT_EQ(turn.messages.size(), 1u);
    EXPECT_EQ(turn.messages[0], (ChatMessage{"assistant", "hi", {}}));
    // The stray token was sampled, so it stays among the turn's tokens.
    EXPECT_EQ(turn.tokens, (std::vector<TokenId>{'h', 'i', stray}));
    EXPECT_EQ(turn.sampled, (std::vector<std::uint8_t>{1, 1, 1}));
  }
}

TEST(AssistantTurn, ToolOutputIsCutAtTheLimitAndAResumedTurnContinues) {
  Echo echo;
  auto model = scripted(Script{}.call("echo", std::string(50, 'x')).text("ok"));
  TurnRequest request = ask("Long");
  request.limits.output_chars = 10;
  TurnResult turn = assistant_turn(model, chat_bytes(), greedy(), {{"echo", &echo}}, {}, request);
  ASSERT_EQ(turn.messages.size(), 3u);
  EXPECT_EQ(turn.messages[1].content, "echo:xxxxx\n[output truncated: 45 more characters]");

  // A conversation that ends with a tool message resumes the same turn.
  TurnRequest resumed = ask("Long");
  resumed.conversation.push_back(turn.messages[0]);
  resumed.conversation.push_back(turn.messages[1]);
  auto again = scripted(Script{}.call("echo", std::string(50, 'x')).text("ok"));
  TurnResult rest = assistant_turn(again, chat_bytes(), greedy(), {}, {}, resumed);
  EXPECT_EQ(rest.messages, (std::vector<ChatMessage>{{"assistant", "ok", {}}}));
}

TEST(AssistantTurn, StreamsWholeCharactersOnly) {
  auto model = scripted(Script{}.text("héllo wörld ✓"));
  std::vector<std::string> deltas;
  assistant_turn(model, chat_bytes(), greedy(), {}, {}, ask("Hi"),
                 [&](const TurnEvent& event) { deltas.push_back(event.text); });
  std::string all;
  for (const std::string& delta : deltas) {
    all += delta;
    EXPECT_NE(static_cast<unsigned char>(delta.back()) & 0xC0, 0xC0) << "a cut character";
  }
  EXPECT_EQ(all, "héllo wörld ✓");
}

TEST(AssistantTurn, ATokenizerWithoutChatMarkersIsABadInput) {
  auto plain = test::make_plugin<Tokenizer>("{plugin: bytes}");
  auto model = scripted(Script{}.text("x"));
  EXPECT_THROW(assistant_turn(model, *plain, greedy(), {}, {}, ask("Hi")), Error);
}

}  // namespace
}  // namespace forge
