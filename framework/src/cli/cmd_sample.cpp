// `forge sample CHECKPOINT`: text from a checkpoint alone, streamed as it is generated.
#include <forge/files.h>
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
#include <nlohmann/json.hpp>
#include <sstream>

namespace forge::cli {
namespace {

const char* kSampleUsage =
    "usage: forge sample CHECKPOINT [--prompt TEXT | --prompts FILE] [--n N] [--max-tokens M]\n"
    "                    [--seed S] [--device cpu|cuda|auto] [key=value ...]\n"
    "\n"
    "Generates text from a checkpoint file alone (its recipe and tokenizer are inside it).\n"
    "--prompts reads JSON Lines objects with a \"prompt\" and writes each back to stdout with\n"
    "\"completions\" (N strings) and \"finish\" added, generated in batches.\n"
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

// Every line of `file` as an object with a string "prompt"; a bad line is named by number.
std::vector<nlohmann::json> read_prompt_lines(const std::string& file) {
  std::istringstream text(read_file(file));
  std::vector<nlohmann::json> items;
  std::string line;
  for (std::size_t number = 1; std::getline(text, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    nlohmann::json item = nlohmann::json::parse(line, nullptr, false);
    if (!item.is_object() || !item.contains("prompt") || !item["prompt"].is_string())
      throw Error(cat(file, ":", number,
                      ": expected a JSON object with a string \"prompt\", e.g. {\"prompt\": "
                      "\"Once upon\"}"));
    items.push_back(std::move(item));
  }
  if (items.empty()) throw Error(cat(file, ": no prompts (one JSON object per line)"));
  return items;
}

// Prompts from a JSON Lines file, continued in batches; each object goes back out with its
// completions, so other fields (a label, an expected answer) stay beside them.
void sample_prompts_file(const std::string& file, Model& model, const Sampler& sampler,
                         const Tokenizer& tokenizer, std::int64_t count, std::int64_t max_tokens,
                         std::uint64_t seed) {
  std::vector<nlohmann::json> items = read_prompt_lines(file);
  constexpr std::size_t kBatch = 64;
  for (std::size_t first = 0; first < items.size(); first += kBatch) {
    const std::size_t last = std::min(items.size(), first + kBatch);
    GenerationRequest request;
    for (std::size_t i = first; i < last; ++i) {
      std::vector<TokenId> ids = tokenizer.encode(items[i]["prompt"].get<std::string>());
      if (ids.empty()) ids.push_back(tokenizer.end_of_text());
      for (std::int64_t n = 0; n < count; ++n) request.prompts.push_back(ids);
    }
    request.max_tokens = max_tokens;
    request.stop_tokens = {tokenizer.end_of_text()};
    request.seed = seed + first;
    std::vector<GenerationRow> rows = generate(model, sampler, request);
    for (std::size_t i = first; i < last; ++i) {
      nlohmann::json completions = nlohmann::json::array(), finish = nlohmann::json::array();
      for (std::int64_t n = 0; n < count; ++n) {
        GenerationRow& row = rows[(i - first) * count + n];
        if (!row.tokens.empty() && row.tokens.back() == tokenizer.end_of_text())
          row.tokens.pop_back();
        completions.push_back(tokenizer.decode(row.tokens));
        finish.push_back(row.finish);
      }
      items[i]["completions"] = std::move(completions);
      items[i]["finish"] = std::move(finish);
      std::cout << items[i].dump() << "\n";
    }
    std::cout << std::flush;
  }
}

}  // namespace

int sample_command(const Args& args) {
  std::string checkpoint, prompt, prompts_file, device = "auto";
  std::int64_t count = 1, max_tokens = 128;
  std::uint64_t seed = 1337;
  std::vector<std::string> settings;
  po::options_description described("options");
  described.add_options()("checkpoint", po::value(&checkpoint)->required(), "checkpoint file")(
      "prompt", po::value(&prompt), "text to continue (default: a new document)")(
      "prompts", po::value(&prompts_file), "JSON Lines of {\"prompt\": ...} to continue")(
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
  if (!prompt.empty() && !prompts_file.empty())
    throw UsageError{"give --prompt or --prompts, not both", "sample"};
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
  if (!prompts_file.empty()) {
    sample_prompts_file(prompts_file, *loaded.model, *sampler, tokenizer, count, max_tokens, seed);
    return 0;
  }
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
