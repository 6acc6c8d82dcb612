// ModelBackend with tools: a chat reply is a whole assistant turn; a scripted model calls a
// tool, the call and its output come back as steps between the streamed text, and the turn
// comes back as messages.
#include "engine/scripted_model.h"
#include "serve/model_backend.h"
#include "support/test_support.h"

#include <gtest/gtest.h>

namespace forge::serve {
namespace {

using forge::test::ScriptedModel;

constexpr TokenId kSep = 258, kEnd = 259, kCall = 260, kCallEnd = 261, kOut = 262, kOutEnd = 263;

// A tool double: "echo:" and its arguments; it records its calls.
class Echo : public Tool {
 public:
  ToolResult run(const std::string& arguments, const ToolLimits&) const override {
    calls.push_back(arguments);
    return ToolResult::ok("echo:" + arguments);
  }
  mutable std::vector<std::string> calls;
};

struct Turn {
  Echo* echo = nullptr;
  std::unique_ptr<ModelBackend> backend;
};

// A backend whose model writes "Let me check.", calls echo, then copies the output; with
// `stray`, a <|im_start|> amid its text, which ends the turn.
Turn scripted_turn(bool stray = false) {
  auto tokenizer = forge::test::make_plugin<Tokenizer>(
      "{plugin: bytes, special_tokens: ['<|endoftext|>', '<|im_start|>', '<|im_sep|>', "
      "'<|im_end|>', '<|tool_start|>', '<|tool_end|>', '<|output_start|>', '<|output_end|>']}");
  std::vector<TokenId> script;
  auto text = [&](const std::string& s) {
    for (TokenId id : tokenizer->encode(s)) script.push_back(id);
  };
  text("Let me");
  if (stray) script.push_back(257);
  text(" check.");
  script.push_back(kCall);
  text("echo hi there");
  script.push_back(kCallEnd);
  text("It said ");
  script.push_back(ScriptedModel::kCopyOutput);
  text(".");
  LoadedModel loaded;
  loaded.model =
      std::make_unique<ScriptedModel>(script, static_cast<std::int64_t>(tokenizer->vocab_size()),
                                      1024, forge::test::ScriptMarkers{kSep, kEnd, kOut, kOutEnd});
  loaded.tokenizer = std::move(tokenizer);
  Turn turn;
  auto echo = std::make_unique<Echo>();
  turn.echo = echo.get();
  ToolSet tools;
  tools.add("echo", std::move(echo));
  turn.backend = std::make_unique<ModelBackend>(std::move(loaded), "scripted",
                                                forge::test::plugins(), std::move(tools));
  return turn;
}

GenerationParams greedy() {
  GenerationParams params;
  params.temperature = 0;
  params.max_tokens = 200;
  return params;
}

const std::vector<ChatMessage> kAsk = {{"user", "Say hi", {}}};

TEST(ModelTurn, RunsTheToolAndStreamsItsStepsBetweenTheText) {
  Turn turn = scripted_turn();
  std::vector<std::string> events;
  Completion c = turn.backend->complete_chat(
      kAsk, greedy(),
      [&](std::string_view text) {
        if (!text.empty()) events.push_back("text " + std::string(text));
        return true;
      },
      [&](const ChatMessage& step) {
        events.push_back("step " + step.role + " " +
                         (step.tool_calls.empty() ? step.content : step.tool_calls[0].name));
        return true;
      });
  EXPECT_EQ(turn.echo->calls, std::vector<std::string>{"hi there"});
  const std::vector<ChatMessage> expected = {{"assistant", "Let me check.", {{"echo", "hi there"}}},
                                             {"tool", "echo:hi there", {}},
                                             {"assistant", "It said echo:hi there.", {}}};
  EXPECT_EQ(c.turn, expected);
  EXPECT_EQ(c.text, "Let me check.It said echo:hi there.");
  EXPECT_EQ(c.finish_reason, "stop");
  EXPECT_TRUE(c.tool_calls.empty());  // nothing is left for the client to run
  EXPECT_GT(c.completion_tokens, 30);
  // The text before the call is all out before the call's step, the output's before the rest.
  std::string before;
  std::size_t at = 0;
  for (; at < events.size() && events[at].starts_with("text "); ++at)
    before += events[at].substr(5);
  EXPECT_EQ(before, "Let me check.");
  ASSERT_LT(at + 1, events.size());
  EXPECT_EQ(events[at], "step assistant echo");
  EXPECT_EQ(events[at + 1], "step tool echo:hi there");
}

TEST(ModelTurn, AStrayMessageHeaderEndsTheReplyUnshown) {
  Turn turn = scripted_turn(true);
  Completion c = turn.backend->complete_chat(
      kAsk, greedy(), [](std::string_view) { return true; },
      [](const ChatMessage&) { return true; });
  EXPECT_EQ(c.text, "Let me");
  EXPECT_EQ(c.finish_reason, "stop");
  EXPECT_TRUE(turn.echo->calls.empty()) << "nothing after the header runs";
}

TEST(ModelTurn, AStepTheClientRefusesStopsTheTurnBeforeTheToolRuns) {
  Turn turn = scripted_turn();
  Completion c = turn.backend->complete_chat(
      kAsk, greedy(), [](std::string_view) { return true; },
      [](const ChatMessage&) { return false; });
  EXPECT_TRUE(turn.echo->calls.empty());
  EXPECT_EQ(c.finish_reason, "cancelled");
}

TEST(ModelTurn, AStopSequenceEndsTheTurn) {
  Turn turn = scripted_turn();
  GenerationParams params = greedy();
  params.stop = {"said"};
  Completion c = turn.backend->complete_chat(
      kAsk, params, [](std::string_view) { return true; }, [](const ChatMessage&) { return true; });
  EXPECT_EQ(c.text, "Let me check.It ");
  EXPECT_EQ(c.finish_reason, "stop");
  ASSERT_EQ(c.turn.size(), 3u);
  EXPECT_EQ(c.turn[2].content, "It ");
}

}  // namespace
}  // namespace forge::serve
