#include <forge/log.h>

#include "cli/commands.h"
#include "cli/usage.h"
#include "stages/resolve.h"
#include "stages/runner.h"

#include <iostream>

namespace forge::cli {
namespace {

const char* kRunUsage =
    "usage: forge run RECIPE [key=value ...] [~key ...] [--dry-run] [--run-dir DIR] [--overwrite]\n"
    "\n"
    "Validates the recipe with its overrides, then runs its stage in a new run directory\n"
    "(runs/NAME/TIMESTAMP unless --run-dir is given; runs/NAME/latest points at it).\n"
    "Overrides: key.path=value sets a value (parsed as YAML), ~key.path deletes one.";

const char* kValidateUsage =
    "usage: forge validate RECIPE [key=value ...] [~key ...]\n"
    "\n"
    "Resolves the recipe (base files, overrides, ${...}), checks every key and plugin section,\n"
    "and prints the result with every default filled in. Starts nothing.";

const char* kResumeUsage =
    "usage: forge resume RUN_DIR\n"
    "\n"
    "Continues an interrupted run from its own recipe.yaml; finished work is not redone.";

struct RecipeArgs {
  std::string recipe;
  std::vector<std::string> overrides;
};

po::options_description recipe_options(RecipeArgs& out) {
  po::options_description options("options");
  options.add_options()("recipe", po::value(&out.recipe)->required(), "the recipe file")(
      "override", po::value(&out.overrides)->multitoken(), "key=value or ~key");
  return options;
}

po::positional_options_description recipe_positionals() {
  po::positional_options_description positional;
  positional.add("recipe", 1).add("override", -1);
  return positional;
}

}  // namespace

int run_command(const Args& args, const std::string& command_line) {
  RecipeArgs recipe_args;
  RunOptions options;
  std::string run_dir;
  po::options_description described = recipe_options(recipe_args);
  described.add_options()("dry-run", po::bool_switch(&options.dry_run),
                          "validate and prepare everything, then stop before running")(
      "run-dir", po::value(&run_dir), "run directory to create (default runs/NAME/TIMESTAMP)")(
      "overwrite", po::bool_switch(&options.overwrite), "replace an existing run in --run-dir");
  bool help = false;
  parse_command("run", args, described, recipe_positionals(), kRunUsage, help);
  if (help) return 0;
  if (!run_dir.empty()) options.run_dir = run_dir;
  options.command = command_line;
  Registry& plugins = Registry::global();
  ResolvedRecipe recipe = resolve_recipe(recipe_args.recipe, recipe_args.overrides, plugins);
  run_recipe(recipe, plugins, options);
  return 0;
}

int validate_command(const Args& args) {
  RecipeArgs recipe_args;
  po::options_description described = recipe_options(recipe_args);
  bool help = false;
  parse_command("validate", args, described, recipe_positionals(), kValidateUsage, help);
  if (help) return 0;
  ResolvedRecipe recipe =
      resolve_recipe(recipe_args.recipe, recipe_args.overrides, Registry::global());
  std::cout << resolved_yaml(recipe);
  return 0;
}

int resume_command(const Args& args, const std::string& command_line) {
  std::string run_dir;
  po::options_description described("options");
  described.add_options()("run-dir", po::value(&run_dir)->required(), "the run to continue");
  po::positional_options_description positional;
  positional.add("run-dir", 1);
  bool help = false;
  parse_command("resume", args, described, positional, kResumeUsage, help);
  if (help) return 0;
  resume_run(run_dir, Registry::global(), command_line);
  return 0;
}

}  // namespace forge::cli
