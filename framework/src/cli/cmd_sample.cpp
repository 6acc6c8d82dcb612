// `forge sample CHECKPOINT`: text from a checkpoint alone, streamed as it is generated.
#include <forge/log.h>
#include <forge/sampler.h>

#include "cli/commands.h"
#include "cli/usage.h"
#include "engine/generate.h"
#include "recipe/recipe.h"
#include "stages/device_choice.h"
#include "train/checkpoint_model.h"

#include <algorithm>
#include <iostream>

namespace forge::cli {
namespace {

const char* kSampleUsage =
    "usage: forge sample CHECKPOINT [--prompt TEXT] [--n N] [--max-tokens M] [--seed S]\n"
    "                    [--device cpu|cuda|auto] [key=value ...]\n"
    "\n"
    "Generates text from a checkpoint file alone (its recipe and tokenizer are inside it).\n"
    "key=value settings configure the sampler, starting from the recipe's sample section:\n"
    "  plugin=greedy   plugin=temperature temperature=0.7 top_k=40 top_p=0.9 min_p=0.05\n"
    "One sample streams as it is generated; several print one after another.";

// Keys of a recipe's `sample:` section that belong to the training stage, not the sampler.
constexpr const char* kStageKeys[] = {"every", "prompt", "max_tokens", "count"};

// The recipe's sampler with the settings applied; naming another plugin starts afresh, since
// the recipe's keys belong to its own plugin.
Node sampler_section(const Node& recipe, const std::vector<std::string>& settings) {
  Node section = Node::map();
  const bool other_plugin = std::any_of(settings.begin(), settings.end(),
                                        [](const auto& s) { return s.starts_with("plugin="); });
  if (const Node* sample = recipe.find("sample"); sample && sample->is_map() && !other_plugin)
    section = *sample;
  for (const char* key : kStageKeys) section.erase(key);
  if (!section.find("plugin")) section.set("plugin", Node::scalar("temperature", true));
  apply_overrides(section, settings);
  return section;
}

}  // namespace

int sample_command(const Args& args) {
  std::string checkpoint, prompt, device = "auto";
  std::int64_t count = 1, max_tokens = 128;
  std::uint64_t seed = 1337;
  std::vector<std::string> settings;
  po::options_description described("options");
  described.add_options()("checkpoint", po::value(&checkpoint)->required(), "checkpoint file")(
      "prompt", po::value(&prompt), "text to continue (default: a new document)")(
      "n", po::value(&count), "samples (default 1)")("max-tokens", po::value(&max_tokens),
                                                     "new tokens per sample (default 128)")(
      "seed", po::value(&seed), "seed of the draws (default 1337)")("device", po::value(&device),
                                                                    "cpu, cuda or auto (default)")(
      "setting", po::value(&settings)->multitoken(), "sampler key=value");
  po::positional_options_description positional;
  positional.add("checkpoint", 1).add("setting", -1);
  bool help = false;
  parse_command("sample", args, described, positional, kSampleUsage, help);
  if (help) return 0;
  if (count < 1) throw UsageError{"--n must be at least 1", "sample"};
  if (max_tokens < 0) throw UsageError{"--max-tokens must be >= 0", "sample"};

  Node device_root = Node::map();
  device_root.set("device", Node::scalar(device, true, Location{"--device", 0, 0}));
  validate(device_root,
           Schema{param::string("device").one_of({"cpu", "cuda", "auto"}).doc("device")},
           Registry::global());
  Registry& plugins = Registry::global();
  LoadedModel loaded = load_model(checkpoint, plugins, choose_device(Config(device_root, "")));
  auto sampler = std::unique_ptr<Sampler>(
      static_cast<Sampler*>(make_plugin_from(sampler_section(loaded.recipe, settings),
                                             PluginKind::sampler, "sampler", plugins)
                                .release()));
  const Tokenizer& tokenizer = *loaded.tokenizer;
  std::vector<TokenId> ids = tokenizer.encode(prompt);
  if (ids.empty()) ids.push_back(tokenizer.end_of_text());
  GenerationRequest request;
  request.prompts.assign(static_cast<std::size_t>(count), ids);
  request.max_tokens = max_tokens;
  request.stop_tokens = {tokenizer.end_of_text()};
  request.seed = seed;
  log_info("sampling from ", checkpoint, " (step ", loaded.position.step, ")");
  if (count == 1) {
    std::cout << prompt << std::flush;
    generate(*loaded.model, *sampler, request, [&](std::size_t, TokenId id) {
      if (id != tokenizer.end_of_text()) std::cout << tokenizer.decode({&id, 1}) << std::flush;
    });
    std::cout << "\n";
    return 0;
  }
  std::vector<GenerationRow> rows = generate(*loaded.model, *sampler, request);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::vector<TokenId>& tokens = rows[i].tokens;
    if (!tokens.empty() && tokens.back() == tokenizer.end_of_text()) tokens.pop_back();
    std::cout << "--- sample " << i + 1 << " (" << rows[i].finish << ")\n"
              << prompt << tokenizer.decode(tokens) << "\n";
  }
  return 0;
}

}  // namespace forge::cli
