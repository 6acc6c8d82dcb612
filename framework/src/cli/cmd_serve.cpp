// `forge serve CHECKPOINT`: an OpenAI-compatible HTTP API and a web chat over one checkpoint.
#include <forge/log.h>

#include "cli/commands.h"
#include "cli/usage.h"
#include "engine/tool_set.h"
#include "recipe/recipe.h"
#include "serve/model_backend.h"
#include "serve/server.h"
#include "stages/device_choice.h"

#include <csignal>

namespace forge::cli {
namespace {

const char* kServeUsage =
    "usage: forge serve CHECKPOINT [--host 127.0.0.1] [--port 8080] [--device cpu|cuda|auto]\n"
    "                   [--tool NAME|SECTION ...] [--max-tokens N] [--max-concurrent N] ...\n"
    "\n"
    "Serves a checkpoint over HTTP: POST /v1/chat/completions and /v1/completions (OpenAI's\n"
    "formats, streaming included), GET /v1/models, and a web chat at GET /. Listens on the\n"
    "loopback address unless --host says otherwise; SIGINT or SIGTERM stops it cleanly.\n"
    "With --tool, a chat reply is a whole assistant turn: its tool calls run on the server.\n"
    "See docs/serve.md.";

// `--tool python` or `--tool '{plugin: python, seconds: 5}'` as a plugin section.
Node tool_section(const std::string& text, std::size_t index) {
  const std::string where = cat("--tool ", index + 1);
  if (text.starts_with("{")) return parse_yaml(text, where);
  Node section = Node::map();
  section.set("plugin", Node::scalar(text, true, Location{where, 0, 0}));
  return section;
}

}  // namespace

int serve_command(const Args& args) {
  std::string checkpoint, device = "auto", model_name;
  std::vector<std::string> tool_specs;
  TurnLimits turn_limits;
  serve::ServerOptions options;
  int port = options.port;
  po::options_description described("options");
  described.add_options()("checkpoint", po::value(&checkpoint)->required(), "checkpoint file")(
      "host", po::value(&options.host), "address to listen on (default 127.0.0.1)")(
      "port", po::value(&port), "port (default 8080; 0 picks a free one)")(
      "device", po::value(&device), "cpu, cuda or auto (default)")(
      "model-name", po::value(&model_name), "name in /v1/models (default: the recipe's name)")(
      "max-tokens", po::value(&options.limits.max_tokens),
      "most new tokens per request, and the default (default 512)")(
      "max-body-bytes", po::value(&options.limits.max_body_bytes),
      "largest request body; larger ones get 413 (default 1048576)")(
      "max-concurrent", po::value(&options.limits.max_concurrent),
      "requests generating or queued at once; more get 429 (default 4)")(
      "max-connections", po::value(&options.max_connections),
      "open connections at once (default 32)")(
      "idle-timeout", po::value(&options.idle_timeout_s),
      "seconds a connection may wait for its next request (default 30)")(
      "tool", po::value(&tool_specs), "a tool plugin's name or section; repeat for more")(
      "tool-calls", po::value(&turn_limits.calls), "tool calls per reply at most (default 8)")(
      "tool-seconds", po::value(&turn_limits.seconds),
      "wall-clock seconds per tool call (default 10)");
  po::positional_options_description positional;
  positional.add("checkpoint", 1);
  bool help = false;
  parse_command("serve", args, described, positional, kServeUsage, help);
  if (help) return 0;
  if (port < 0 || port > 65535) throw UsageError{"--port must be in 0..65535", "serve"};
  options.port = static_cast<unsigned short>(port);
  if (options.limits.max_tokens < 1) throw UsageError{"--max-tokens must be >= 1", "serve"};
  if (options.limits.max_body_bytes < 1) throw UsageError{"--max-body-bytes must be >= 1", "serve"};
  if (options.limits.max_concurrent < 1) throw UsageError{"--max-concurrent must be >= 1", "serve"};
  if (options.max_connections < 1) throw UsageError{"--max-connections must be >= 1", "serve"};
  if (!(options.idle_timeout_s > 0)) throw UsageError{"--idle-timeout must be > 0", "serve"};
  if (turn_limits.calls < 0) throw UsageError{"--tool-calls must be >= 0", "serve"};
  if (!(turn_limits.seconds > 0)) throw UsageError{"--tool-seconds must be > 0", "serve"};

  Node device_root = Node::map();
  device_root.set("device", Node::scalar(device, true, Location{"--device", 0, 0}));
  validate(device_root,
           Schema{param::string("device").one_of({"cpu", "cuda", "auto"}).doc("device")},
           Registry::global());
  Registry& plugins = Registry::global();
  LoadedModel loaded = load_model(checkpoint, plugins, choose_device(Config(device_root, "")));
  if (model_name.empty()) model_name = serve::checkpoint_model_name(loaded, checkpoint);
  Node tool_list = Node::sequence();
  for (std::size_t i = 0; i < tool_specs.size(); ++i)
    tool_list.items().push_back(tool_section(tool_specs[i], i));
  ToolSet tools = ToolSet::from_node(tool_list, plugins, "--tool");
  const ChatTemplate chat;
  for (const std::string* marker : {&chat.start, &chat.separator, &chat.end})
    if (!loaded.tokenizer->special_token(*marker))
      log_warn("serve: the tokenizer has no special token ", *marker,
               ", so /v1/chat/completions will refuse requests; /v1/completions works (train ",
               "the tokenizer with it in special_tokens)");
  std::signal(SIGPIPE, SIG_IGN);  // a client that hangs up is an error code, not an exit
  if (!tool_specs.empty())
    for (const std::string* marker :
         {&chat.tool_start, &chat.tool_end, &chat.output_start, &chat.output_end})
      if (!loaded.tokenizer->special_token(*marker))
        throw Error(cat("serve: --tool needs the special token ", *marker, " in the checkpoint's ",
                        "tokenizer; train the tokenizer with the four tool markers"));
  std::string names;
  for (const std::string& name : tools.names()) names += (names.empty() ? "" : ", ") + name;
  serve::ModelBackend backend(std::move(loaded), model_name, plugins, std::move(tools),
                              turn_limits);
  serve::Server server(backend, options);
  const bool v6 = options.host.find(':') != std::string::npos;
  log_info("serve: ", model_name, " at http://", v6 ? "[" : "", options.host, v6 ? "]" : "", ":",
           server.port(), "/ (SIGINT or SIGTERM stops); tools: ", names.empty() ? "none" : names);
  server.run(true);
  log_info("serve: stopped");
  return 0;
}

}  // namespace forge::cli
