// `forge chat`: a checkpoint whose model learned one tool-using conversation replies to the
// same question by calling the calculator through the built executable, with the REPL's
// commands, and refuses a tokenizer without the chat markers.
#include <forge/chat.h>
#include <forge/ops.h>

#include "support/test_support.h"
#include "support/tiny_models.h"
#include "train/optimizer.h"
#include "train/train_checkpoint.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <cstdlib>

namespace forge {
namespace {

const char* kModel = "{plugin: gpt2, n_layer: 2, n_head: 2, d_model: 48, context: 128}";
const char* kChatTokenizer =
    "{plugin: bytes, special_tokens: ['<|endoftext|>', '<|im_start|>', '<|im_sep|>', "
    "'<|im_end|>', '<|tool_start|>', '<|tool_end|>', '<|output_start|>', '<|output_end|>']}";

// Trains a tiny model until it writes `conversation` from its first user message on, and
// saves it with its tokenizer as a checkpoint.
std::filesystem::path learned_checkpoint(const std::vector<ChatMessage>& conversation,
                                         const std::filesystem::path& dir) {
  auto tokenizer = test::make_plugin<Tokenizer>(kChatTokenizer);
  auto model = test::tiny_model(kModel, static_cast<std::int64_t>(tokenizer->vocab_size()));
  RenderedChat chat = render_chat(*tokenizer, conversation);
  const auto T = static_cast<std::int64_t>(chat.ids.size()) - 1;
  Tensor ids = Tensor::from_ints(chat.ids, {1, T + 1});
  AdamW optimizer(*model, AdamWConfig{1e-2, 0.9, 0.95, 1e-8, 0.0, {}});
  double loss = 0;
  for (int step = 0; step < 400 && (step == 0 || loss > 0.01); ++step) {
    Tensor logits = model->forward(ids.slice(1, 0, T).contiguous());
    Tensor l = ops::cross_entropy(logits.reshape({T, -1}),
                                  ids.slice(1, 1, T + 1).contiguous().reshape({T}));
    optimizer.zero_grad();
    l.backward();
    optimizer.step(1e-2);
    loss = l.to_doubles()[0];
  }
  EXPECT_LT(loss, 0.05) << "the model did not learn the conversation; the test would be weak";
  CheckpointMeta meta;
  meta.recipe = std::string("stage: pretrain\nmodel: ") + kModel + "\n";
  meta.tokenizer_plugin = "bytes";
  auto file = dir / "chat.h5";
  save_checkpoint(file, *model, nullptr, *tokenizer, meta, TrainPosition{});
  return file;
}

// The calculator conversation's checkpoint, trained once per test process.
const std::filesystem::path& calculator_checkpoint() {
  static const std::filesystem::path file =
      learned_checkpoint({{"user", "What is 6*7?", {}},
                          {"assistant", "", {{"calculator", "6*7"}}},
                          {"tool", "42", {}},
                          {"assistant", "It is 42.", {}}},
                         test::temp_dir("chat-cli-checkpoint"));
  return file;
}

test::CommandResult chat(const std::vector<std::string>& args, const std::string& input,
                         const std::filesystem::path& dir) {
  test::write_text(dir / "input.txt", input);
  std::string command = "cd " + test::shell_quote(dir.string()) +
                        " && env FORGE_PLUGIN_PATH= FORGE_THREADS=2 timeout -s KILL 120 " +
                        test::shell_quote(FORGE_EXECUTABLE) + " chat";
  for (const auto& arg : args) command += " " + test::shell_quote(arg);
  command += " < input.txt > output.txt 2>&1";
  const int status = std::system(command.c_str());
  test::CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.output = test::read_text(dir / "output.txt");
  return result;
}

TEST(ChatCli, CallsAToolPastesItsOutputAndTakesCommands) {
  auto dir = test::temp_dir("chat-cli");
  const auto& checkpoint = calculator_checkpoint();
  auto result = chat({checkpoint.string(), "--tool", "calculator", "--temperature", "0"},
                     "What is 6*7?\n/temperature 0.5\n/reset\n/system Be brief.\n/bogus\n/quit\n"
                     "What is 6*7?\n",
                     dir);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("[tool calculator] 6*7\n[output] 42\nIt is 42.\n"),
            std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("[temperature 0.5]"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("[conversation cleared]"), std::string::npos);
  EXPECT_NE(result.output.find("[system message set; conversation cleared]"), std::string::npos);
  EXPECT_NE(result.output.find("unknown command '/bogus'"), std::string::npos);
  EXPECT_EQ(result.output.find("[tool calculator]"), result.output.rfind("[tool calculator]"))
      << "nothing after /quit is answered";
}

TEST(ChatCli, WithoutTheToolTheCallIsAnErrorForTheModel) {
  auto dir = test::temp_dir("chat-cli-no-tool");
  auto result = chat({calculator_checkpoint().string(), "--temperature", "0", "--max-tokens", "30"},
                     "What is 6*7?\n", dir);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("[tool calculator] 6*7\n[output, failed] error: there is no tool "
                               "named 'calculator'; no tools are available\n"),
            std::string::npos)
      << result.output;
}

TEST(ChatCli, RefusesATokenizerWithoutChatMarkersAndUnknownTools) {
  auto dir = test::temp_dir("chat-cli-plain");
  auto tokenizer = test::make_plugin<Tokenizer>("{plugin: bytes}");
  auto model = test::tiny_model(kModel, static_cast<std::int64_t>(tokenizer->vocab_size()));
  CheckpointMeta meta;
  meta.recipe = std::string("stage: pretrain\nmodel: ") + kModel + "\n";
  meta.tokenizer_plugin = "bytes";
  save_checkpoint(dir / "plain.h5", *model, nullptr, *tokenizer, meta, TrainPosition{});
  auto plain = chat({(dir / "plain.h5").string()}, "Hi\n", dir);
  EXPECT_EQ(plain.exit_code, 2) << plain.output;
  EXPECT_NE(plain.output.find("lacks the special token '<|im_start|>'"), std::string::npos)
      << plain.output;
  auto unknown = chat({(dir / "plain.h5").string(), "--tool", "calculater"}, "Hi\n", dir);
  EXPECT_EQ(unknown.exit_code, 2) << unknown.output;
  EXPECT_NE(unknown.output.find("did you mean 'calculator'?"), std::string::npos) << unknown.output;
}

}  // namespace
}  // namespace forge
