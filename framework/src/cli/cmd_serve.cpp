// `forge serve CHECKPOINT`: an OpenAI-compatible HTTP API and a web chat over one checkpoint.
#include <forge/log.h>

#include "cli/commands.h"
#include "cli/usage.h"
#include "recipe/recipe.h"
#include "serve/model_backend.h"
#include "serve/server.h"
#include "stages/device_choice.h"

#include <csignal>

namespace forge::cli {
namespace {

const char* kServeUsage =
    "usage: forge serve CHECKPOINT [--host 127.0.0.1] [--port 8080] [--device cpu|cuda|auto]\n"
    "                   [--max-tokens N] [--max-body-bytes N] [--max-concurrent N] ...\n"
    "\n"
    "Serves a checkpoint over HTTP: POST /v1/chat/completions and /v1/completions (OpenAI's\n"
    "formats, streaming included), GET /v1/models, and a web chat at GET /. Listens on the\n"
    "loopback address unless --host says otherwise; SIGINT or SIGTERM stops it cleanly.\n"
    "See docs/serve.md.";

}  // namespace

int serve_command(const Args& args) {
  std::string checkpoint, device = "auto", model_name;
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
      "seconds a connection may wait for its next request (default 30)");
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

  Node device_root = Node::map();
  device_root.set("device", Node::scalar(device, true, Location{"--device", 0, 0}));
  validate(device_root,
           Schema{param::string("device").one_of({"cpu", "cuda", "auto"}).doc("device")},
           Registry::global());
  Registry& plugins = Registry::global();
  LoadedModel loaded = load_model(checkpoint, plugins, choose_device(Config(device_root, "")));
  if (model_name.empty()) model_name = serve::checkpoint_model_name(loaded, checkpoint);
  const ChatTemplate chat;
  for (const std::string* marker : {&chat.start, &chat.separator, &chat.end})
    if (!loaded.tokenizer->special_token(*marker))
      log_warn("serve: the tokenizer has no special token ", *marker,
               ", so /v1/chat/completions will refuse requests; /v1/completions works (train ",
               "the tokenizer with it in special_tokens)");
  std::signal(SIGPIPE, SIG_IGN);  // a client that hangs up is an error code, not an exit
  serve::ModelBackend backend(std::move(loaded), model_name, plugins);
  serve::Server server(backend, options);
  const bool v6 = options.host.find(':') != std::string::npos;
  log_info("serve: ", model_name, " at http://", v6 ? "[" : "", options.host, v6 ? "]" : "", ":",
           server.port(), "/ (SIGINT or SIGTERM stops)");
  server.run(true);
  log_info("serve: stopped");
  return 0;
}

}  // namespace forge::cli
