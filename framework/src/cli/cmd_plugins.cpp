#include <forge/error.h>

#include "cli/commands.h"
#include "cli/usage.h"
#include "plugin/registry.h"
#include "plugin/schema_doc.h"
#include "recipe/recipe.h"
#include "stages/stage.h"

#include <algorithm>
#include <iostream>

namespace forge::cli {
namespace {

const char* kPluginsUsage =
    "usage: forge plugins [KIND] [--verbose]\n"
    "       forge plugins show KIND/NAME\n"
    "\n"
    "Lists the plugins found (build folder, install prefix, FORGE_PLUGIN_PATH), grouped by\n"
    "kind, or shows one plugin's parameters. Kinds: dataset, filter, tokenizer, architecture,\n"
    "loss, reward, sampler, tool.";

const char* kStagesUsage =
    "usage: forge stages [show NAME]\n"
    "\n"
    "Lists the stages a recipe's `stage:` can name, or shows one stage's keys.";

PluginKind kind_argument(const std::string& text) {
  if (auto kind = parse_kind(text)) return *kind;
  std::vector<std::string> kinds;
  for (PluginKind kind : kPluginKinds) kinds.emplace_back(kind_name(kind));
  std::string best = closest_match(text, kinds);
  throw Error(cat("unknown plugin kind '", text, "'",
                  best.empty() ? "; kinds are dataset, filter, tokenizer, architecture, loss, "
                                 "reward, sampler, tool"
                               : cat("; did you mean '", best, "'?")));
}

int show_plugin(const std::string& spec, Registry& plugins) {
  auto slash = spec.find('/');
  if (slash == std::string::npos)
    throw Error(
        cat("'", spec, "' is not KIND/NAME; for example: forge plugins show filter/length"));
  PluginKind kind = kind_argument(spec.substr(0, slash));
  const PluginInfo& info = plugins.get(kind, spec.substr(slash + 1));
  std::cout << kind_name(kind) << "/" << info.name << " " << info.version << "\n"
            << "  " << info.summary << "\n"
            << "  library: " << info.library << "\n\n";
  if (info.schema.params.empty()) {
    std::cout << "parameters: none\n";
  } else {
    std::cout << "parameters (in a recipe section next to 'plugin: " << info.name << "'):\n"
              << render_schema(info.schema);
  }
  return 0;
}

}  // namespace

int plugins_command(const Args& args) {
  std::vector<std::string> words;
  bool verbose = false;
  po::options_description described("options");
  described.add_options()("word", po::value(&words)->multitoken(), "KIND, or show KIND/NAME")(
      "verbose,v", po::bool_switch(&verbose), "also print each plugin's library file");
  po::positional_options_description positional;
  positional.add("word", -1);
  bool help = false;
  parse_command("plugins", args, described, positional, kPluginsUsage, help);
  if (help) return 0;
  Registry& plugins = Registry::global();
  plugins.load_defaults();
  if (!words.empty() && words[0] == "show") {
    if (words.size() != 2) throw UsageError{"'plugins show' takes one KIND/NAME", "plugins"};
    return show_plugin(words[1], plugins);
  }
  if (words.size() > 1) throw UsageError{"too many arguments", "plugins"};
  std::vector<PluginKind> kinds(kPluginKinds.begin(), kPluginKinds.end());
  if (!words.empty()) kinds = {kind_argument(words[0])};
  for (PluginKind kind : kinds) {
    std::vector<std::string> names = plugins.names(kind);
    if (names.empty() && words.empty()) continue;
    std::cout << kind_name(kind) << "\n";
    if (names.empty()) std::cout << "  (none installed)\n";
    std::size_t width = 0;
    for (const auto& name : names) width = std::max(width, name.size());
    for (const auto& name : names) {
      const PluginInfo& info = *plugins.find(kind, name);
      std::cout << "  " << name << std::string(width - name.size() + 2, ' ') << info.summary;
      if (verbose) std::cout << "  [" << info.version << ", " << info.library << "]";
      std::cout << "\n";
    }
  }
  return 0;
}

int stages_command(const Args& args) {
  std::vector<std::string> words;
  po::options_description described("options");
  described.add_options()("word", po::value(&words)->multitoken(), "show NAME");
  po::positional_options_description positional;
  positional.add("word", -1);
  bool help = false;
  parse_command("stages", args, described, positional, kStagesUsage, help);
  if (help) return 0;
  if (words.empty()) {
    for (const Stage* stage : all_stages())
      std::cout << stage->name() << "  " << stage->summary() << "\n";
    return 0;
  }
  if (words.size() != 2 || words[0] != "show")
    throw UsageError{"expected 'stages' or 'stages show NAME'", "stages"};
  const Stage* stage = find_stage(words[1]);
  if (!stage) throw Error(cat("unknown stage '", words[1], "'; 'forge stages' lists them"));
  std::cout << "stage: " << stage->name() << "  " << stage->summary() << "\n\nkeys:\n"
            << render_schema(recipe_schema(*stage));
  return 0;
}

}  // namespace forge::cli
