// `forge chat CHECKPOINT`: a streaming chat on stdin and stdout, with tools.
#include <forge/log.h>
#include <forge/sampler.h>

#include "cli/commands.h"
#include "cli/usage.h"
#include "engine/assistant_turn.h"
#include "engine/tool_set.h"
#include "recipe/recipe.h"
#include "stages/device_choice.h"
#include "train/checkpoint_model.h"

#include <iostream>
#include <sstream>

#include <unistd.h>

namespace forge::cli {
namespace {

const char* kChatUsage =
    "usage: forge chat CHECKPOINT [--tool NAME|SECTION ...] [--system TEXT] [--temperature T]\n"
    "                  [--max-tokens N] [--seed S] [--tool-calls N] [--tool-seconds S]\n"
    "                  [--device cpu|cuda|auto]\n"
    "\n"
    "Chats with a checkpoint's model: each line on stdin is a user message, the reply streams\n"
    "to stdout, tool calls and their outputs marked [tool NAME] and [output]. A tool is a\n"
    "plugin name (--tool calculator) or a section (--tool '{plugin: search, paths: d/*.gz}').\n"
    "Commands: /system TEXT (sets the system message and starts afresh), /reset,\n"
    "/temperature T, /quit. The tokenizer needs the chat markers (docs/tools.md).";

// `--tool python` or `--tool '{plugin: python, seconds: 5}'` as a plugin section.
Node tool_section(const std::string& text, std::size_t index) {
  const std::string where = cat("--tool ", index + 1);
  if (text.starts_with("{")) return parse_yaml(text, where);
  Node section = Node::map();
  section.set("plugin", Node::scalar(text, true, Location{where, 0, 0}));
  return section;
}

std::unique_ptr<Sampler> make_sampler(double temperature, Registry& plugins) {
  Node section = Node::map();
  section.set("plugin", Node::scalar(temperature == 0 ? "greedy" : "temperature", true));
  if (temperature != 0) section.set("temperature", Node::scalar(cat(temperature), false));
  return std::unique_ptr<Sampler>(static_cast<Sampler*>(
      make_plugin_from(section, PluginKind::sampler, "sampler", plugins).release()));
}

class Chat {
 public:
  Chat(LoadedModel& loaded, const ToolSet& tools, TurnRequest request, std::string system)
      : loaded_(loaded), tools_(tools), request_(std::move(request)), system_(std::move(system)) {
    reset();
  }

  void set_sampler(std::unique_ptr<Sampler> sampler) { sampler_ = std::move(sampler); }
  void set_system(std::string system) {
    system_ = std::move(system);
    reset();
  }
  void reset() {
    request_.conversation.clear();
    if (!system_.empty()) request_.conversation.push_back({"system", system_, {}});
  }

  void say(const std::string& text) {
    request_.conversation.push_back({"user", text, {}});
    bool line_open = false;
    auto on_event = [&](const TurnEvent& event) {
      switch (event.kind) {
        case TurnEvent::Kind::text:
          std::cout << event.text << std::flush;
          line_open = !event.text.empty() && event.text.back() != '\n';
          break;
        case TurnEvent::Kind::tool_call:
          std::cout << (line_open ? "\n" : "") << "[tool " << event.call.name << "] "
                    << event.call.arguments << "\n";
          line_open = false;
          break;
        case TurnEvent::Kind::tool_output:
          std::cout << "[output" << (event.failed ? ", failed" : "") << "] " << event.text << "\n"
                    << std::flush;
          break;
      }
    };
    try {
      TurnResult turn = assistant_turn(*loaded_.model, *loaded_.tokenizer, *sampler_,
                                       tools_.tools(), ChatTemplate{}, request_, on_event);
      for (ChatMessage& message : turn.messages)
        request_.conversation.push_back(std::move(message));
      std::cout << (line_open ? "\n" : "");
      if (turn.finish != "stop") std::cout << "[reply cut short: " << turn.finish << "]\n";
    } catch (const Error& e) {
      request_.conversation.pop_back();
      std::cout << (line_open ? "\n" : "") << "[error] " << e.what() << "\n";
    }
    request_.seed += 1;  // the next reply draws afresh
    std::cout << std::flush;
  }

 private:
  LoadedModel& loaded_;
  const ToolSet& tools_;
  TurnRequest request_;
  std::string system_;
  std::unique_ptr<Sampler> sampler_;
};

// The tokenizer must spell the chat markers, and the tool markers when tools are on.
void check_markers(const Tokenizer& tokenizer, bool tools) {
  ChatTemplate chat;
  std::vector<std::string> needed = {chat.start, chat.separator, chat.end};
  if (tools)
    needed.insert(needed.end(),
                  {chat.tool_start, chat.tool_end, chat.output_start, chat.output_end});
  for (const std::string& name : needed)
    if (!tokenizer.special_token(name))
      throw Error(cat("forge chat: the checkpoint's tokenizer lacks the special token '", name, "'",
                      tools ? " (tools need the four tool markers too)" : "",
                      "; train the tokenizer with the chat markers in special_tokens"));
}

}  // namespace

int chat_command(const Args& args) {
  std::string checkpoint, system, device = "auto";
  std::vector<std::string> tool_specs;
  double temperature = 0.7, tool_seconds = 10;
  std::int64_t max_tokens = 512;
  int tool_calls = 8;
  std::uint64_t seed = 1337;
  po::options_description described("options");
  described.add_options()("checkpoint", po::value(&checkpoint)->required(), "checkpoint file")(
      "tool", po::value(&tool_specs), "a tool plugin's name or section; repeat for more")(
      "system", po::value(&system), "system message")("temperature", po::value(&temperature),
                                                      "0 is greedy (default 0.7)")(
      "max-tokens", po::value(&max_tokens), "tokens per reply at most (default 512)")(
      "seed", po::value(&seed), "seed of the draws (default 1337)")(
      "tool-calls", po::value(&tool_calls), "tool calls per reply at most (default 8)")(
      "tool-seconds", po::value(&tool_seconds), "wall-clock seconds per tool call (default 10)")(
      "device", po::value(&device), "cpu, cuda or auto (default)");
  po::positional_options_description positional;
  positional.add("checkpoint", 1);
  bool help = false;
  parse_command("chat", args, described, positional, kChatUsage, help);
  if (help) return 0;
  if (temperature < 0) throw UsageError{"--temperature must be >= 0", "chat"};
  if (max_tokens < 1) throw UsageError{"--max-tokens must be at least 1", "chat"};
  if (tool_calls < 0) throw UsageError{"--tool-calls must be >= 0", "chat"};
  if (tool_seconds <= 0) throw UsageError{"--tool-seconds must be > 0", "chat"};

  Registry& plugins = Registry::global();
  plugins.load_defaults();
  Node device_root = Node::map();
  device_root.set("device", Node::scalar(device, true, Location{"--device", 0, 0}));
  validate(device_root,
           Schema{param::string("device").one_of({"cpu", "cuda", "auto"}).doc("device")}, plugins);
  Node tool_list = Node::sequence();
  for (std::size_t i = 0; i < tool_specs.size(); ++i)
    tool_list.items().push_back(tool_section(tool_specs[i], i));
  ToolSet tools = ToolSet::from_node(tool_list, plugins, "--tool");
  LoadedModel loaded = load_model(checkpoint, plugins, choose_device(Config(device_root, "")));
  check_markers(*loaded.tokenizer, !tool_specs.empty());

  TurnRequest request;
  request.max_tokens = max_tokens;
  request.seed = seed;
  request.limits.calls = tool_calls;
  request.limits.seconds = tool_seconds;
  Chat chat(loaded, tools, request, system);
  chat.set_sampler(make_sampler(temperature, plugins));
  std::string names;
  for (const std::string& name : tools.names()) names += (names.empty() ? "" : ", ") + name;
  log_info("chatting with ", checkpoint, " (step ", loaded.position.step,
           "); tools: ", names.empty() ? "none" : names,
           "; /system TEXT, /reset, /temperature T, /quit");
  const bool terminal = isatty(0);
  for (std::string line;;) {
    if (terminal) std::cout << "> " << std::flush;
    if (!std::getline(std::cin, line)) break;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (line == "/quit" || line == "/exit") break;
    if (line == "/reset") {
      chat.reset();
      std::cout << "[conversation cleared]\n";
    } else if (line.starts_with("/system")) {
      chat.set_system(line.size() > 8 ? line.substr(8) : "");
      std::cout << "[system message set; conversation cleared]\n";
    } else if (line.starts_with("/temperature")) {
      std::istringstream value(line.substr(12));
      double t = -1;
      if (!(value >> t) || t < 0) {
        std::cout << "[error] /temperature needs a number >= 0, e.g. /temperature 0.7\n";
        continue;
      }
      chat.set_sampler(make_sampler(t, plugins));
      std::cout << "[temperature " << t << "]\n";
    } else if (line.starts_with("/")) {
      std::cout << "[error] unknown command '" << line.substr(0, line.find(' '))
                << "'; commands are /system TEXT, /reset, /temperature T, /quit\n";
    } else {
      chat.say(line);
    }
    std::cout << std::flush;
  }
  return 0;
}

}  // namespace forge::cli
