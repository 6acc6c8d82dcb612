#include <forge/version.h>

#include "support/test_support.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace forge {
namespace {

namespace fs = std::filesystem;
using test::run_forge;

const fs::path kSource = FORGE_SOURCE_DIR;

// A small recipe over files the test writes, so the CLI tests do not depend on /usr/share.
fs::path write_small_recipe(const fs::path& dir) {
  for (int i = 0; i < 3; ++i)
    test::write_text(
        dir / "corpus" / ("doc" + std::to_string(i) + ".txt"),
        "A paragraph long enough to keep, with more than a few words in it.\n\nshort\n");
  test::write_text(dir / "small.yaml",
                   "stage: data\n"
                   "input: {plugin: text_files, paths: ['" +
                       (dir / "corpus").string() +
                       "/*.txt'], mode: paragraph}\n"
                       "steps:\n  - {plugin: length, min_chars: 20}\n"
                       "output: {plugin: jsonl, path: output}\n");
  return dir / "small.yaml";
}

TEST(Cli, VersionAndHelp) {
  auto version = run_forge({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(version.output.find(std::string("forge ") + kVersion), std::string::npos);
  for (const char* command : {"run", "resume", "validate", "plugins", "stages"}) {
    auto help = run_forge({command, "--help"});
    EXPECT_EQ(help.exit_code, 0) << command;
    EXPECT_NE(help.output.find("usage: forge"), std::string::npos) << command << help.output;
  }
  EXPECT_EQ(run_forge({"--help"}).exit_code, 0);
}

TEST(Cli, BadUsageExitsTwo) {
  auto none = run_forge({});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.output.find("no command given"), std::string::npos);
  auto unknown = run_forge({"frobnicate"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.output.find("unknown command 'frobnicate'"), std::string::npos);
  auto option = run_forge({"run", "--frobnicate", "x.yaml"});
  EXPECT_EQ(option.exit_code, 2);
  EXPECT_NE(option.output.find("forge run --help"), std::string::npos) << option.output;
  EXPECT_EQ(run_forge({"run"}).exit_code, 2);
  EXPECT_EQ(run_forge({"run", "no-such-recipe.yaml"}).exit_code, 2);
  EXPECT_EQ(run_forge({"resume", "no-such-run"}).exit_code, 2);
}

TEST(Cli, PluginsListsEveryKindWithSummaries) {
  auto listing = run_forge({"plugins"});
  ASSERT_EQ(listing.exit_code, 0) << listing.output;
  EXPECT_NE(listing.output.find("dataset\n"), std::string::npos) << listing.output;
  EXPECT_NE(listing.output.find("filter\n"), std::string::npos) << listing.output;
  EXPECT_NE(listing.output.find("  jsonl "), std::string::npos) << listing.output;
  EXPECT_NE(listing.output.find("  text_files "), std::string::npos) << listing.output;
  EXPECT_NE(listing.output.find("  length "), std::string::npos) << listing.output;
  auto filters = run_forge({"plugins", "filter"});
  EXPECT_EQ(filters.exit_code, 0);
  EXPECT_EQ(filters.output.find("dataset"), std::string::npos) << filters.output;
  auto bad_kind = run_forge({"plugins", "filtre"});
  EXPECT_EQ(bad_kind.exit_code, 2);
  EXPECT_NE(bad_kind.output.find("did you mean 'filter'?"), std::string::npos);
}

TEST(Cli, PluginsShowPrintsTypesDefaultsAndDocs) {
  auto shown = run_forge({"plugins", "show", "filter/length"});
  ASSERT_EQ(shown.exit_code, 0) << shown.output;
  EXPECT_NE(shown.output.find("filter/length"), std::string::npos);
  EXPECT_NE(shown.output.find("min_chars  (integer >= 0; default 0)"), std::string::npos)
      << shown.output;
  EXPECT_NE(shown.output.find("max_chars  (integer >= 0; optional)"), std::string::npos)
      << shown.output;
  auto typo = run_forge({"plugins", "show", "filter/lenght"});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.output.find("did you mean 'length'?"), std::string::npos) << typo.output;
}

TEST(Cli, ValidatePrintsTheResolvedRecipeWithDefaults) {
  auto dir = test::temp_dir("cli-validate");
  auto recipe = write_small_recipe(dir);
  auto result = run_forge({"validate", recipe.string(), "steps.0.max_chars=500"});
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("name: small"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("files_per_shard: 1"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("max_chars: 500"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("seed: 1337"), std::string::npos) << result.output;
}

TEST(Cli, MisspeltKeysAreLocatedWithASuggestion) {
  auto dir = test::temp_dir("cli-typos");
  auto recipe = write_small_recipe(dir);
  auto top = run_forge({"run", recipe.string(), "ouptut.path=x"});
  EXPECT_EQ(top.exit_code, 2);
  EXPECT_NE(top.output.find("override 'ouptut.path=x': ouptut: unknown key 'ouptut'; did you "
                            "mean 'output'?"),
            std::string::npos)
      << top.output;
  test::write_text(dir / "typo.yaml", test::read_text(recipe) + "workres: 2\n");
  auto in_file = run_forge({"run", (dir / "typo.yaml").string()});
  EXPECT_EQ(in_file.exit_code, 2);
  EXPECT_NE(in_file.output.find("typo.yaml:6:1: workres: unknown key 'workres'; did you mean "
                                "'workers'?"),
            std::string::npos)
      << in_file.output;
  auto in_plugin = run_forge({"run", recipe.string(), "steps.0.min_char=3"});
  EXPECT_EQ(in_plugin.exit_code, 2);
  EXPECT_NE(in_plugin.output.find("steps[0].min_char: unknown key 'min_char'; did you mean "
                                  "'min_chars'?"),
            std::string::npos)
      << in_plugin.output;
  EXPECT_FALSE(fs::exists(dir / "runs")) << "nothing may start before validation passes";
}

TEST(Cli, RunCreatesARunDirectoryAndNeverOverwritesIt) {
  auto dir = test::temp_dir("cli-run");
  auto recipe = write_small_recipe(dir);
  auto run_dir = dir / "the-run";
  auto first = run_forge({"run", recipe.string(), "--run-dir", run_dir.string()}, dir);
  ASSERT_EQ(first.exit_code, 0) << first.output;
  for (const char* file :
       {"recipe.yaml", "metrics.jsonl", "log.txt", "env.json", "run.json", "stats.json"})
    EXPECT_TRUE(fs::exists(run_dir / file)) << file;
  EXPECT_TRUE(fs::is_symlink(dir / "runs" / "small" / "latest"));
  EXPECT_EQ(fs::canonical(dir / "runs" / "small" / "latest"), fs::canonical(run_dir));

  auto again = run_forge({"run", recipe.string(), "--run-dir", run_dir.string()}, dir);
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.output.find("already holds a run"), std::string::npos) << again.output;
  EXPECT_NE(again.output.find("--overwrite"), std::string::npos) << again.output;
  auto replaced =
      run_forge({"run", recipe.string(), "--run-dir", run_dir.string(), "--overwrite"}, dir);
  EXPECT_EQ(replaced.exit_code, 0) << replaced.output;

  auto dry = run_forge({"run", recipe.string(), "--dry-run", "--run-dir", (dir / "dry").string()});
  EXPECT_EQ(dry.exit_code, 0) << dry.output;
  EXPECT_FALSE(fs::exists(dir / "dry"));
}

TEST(Cli, DefaultRunDirectoriesAreNewEachTime) {
  auto dir = test::temp_dir("cli-default-dirs");
  auto recipe = write_small_recipe(dir);
  ASSERT_EQ(run_forge({"run", recipe.string()}, dir).exit_code, 0);
  ASSERT_EQ(run_forge({"run", recipe.string()}, dir).exit_code, 0);
  int runs = 0;
  for (const auto& entry : fs::directory_iterator(dir / "runs" / "small"))
    runs += entry.is_directory() && !entry.is_symlink();
  EXPECT_EQ(runs, 2);
}

TEST(Cli, StagesListsAndShowsTheDataStage) {
  auto listing = run_forge({"stages"});
  EXPECT_EQ(listing.exit_code, 0);
  EXPECT_NE(listing.output.find("data  "), std::string::npos);
  auto shown = run_forge({"stages", "show", "data"});
  EXPECT_EQ(shown.exit_code, 0);
  EXPECT_NE(shown.output.find("workers  (integer >= 0; default 0)"), std::string::npos)
      << shown.output;
}

TEST(Cli, EveryShippedRecipeValidates) {
  int recipes = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(kSource / "recipes")) {
    if (entry.path().extension() != ".yaml") continue;
    ++recipes;
    auto result = run_forge({"validate", entry.path().string()});
    EXPECT_EQ(result.exit_code, 0) << entry.path() << "\n" << result.output;
  }
  EXPECT_GE(recipes, 4);
}

}  // namespace
}  // namespace forge
