#include "recipe/error_text.h"
#include "recipe/fake_catalog.h"
#include "recipe/recipe.h"

#include <gtest/gtest.h>

#include <string>

namespace forge {
namespace {

using test::error_text;

// A stage schema shaped like the data stage's, plus one key of every other type.
Schema stage_schema() {
  return Schema{
      param::string("stage").required(),
      param::string("name"),
      param::integer("seed").fallback(1337),
      param::string("device").fallback("auto").one_of({"cpu", "cuda", "auto"}),
      param::integer("workers").fallback(0).at_least(0),
      param::plugin("input", PluginKind::dataset).required(),
      param::plugin_list("steps", PluginKind::filter).fallback_yaml(Node::sequence()),
      param::plugin("output", PluginKind::dataset),
      param::section("optimizer",
                     Schema{param::number("lr").range(0, 1).fallback(0.001),
                            param::number_list("betas"), param::boolean("fused").fallback(false)})
          .fallback_yaml(Node::map()),
      param::string_list("tags"),
      param::any("metadata"),
  };
}

constexpr const char* kGood =
    "stage: data\n"
    "input: {plugin: text_files, paths: [a/*]}\n"
    "steps:\n"
    "  - {plugin: length, min_chars: 5}\n";

std::string validation_error(const std::string& yaml) {
  Node root = parse_yaml(yaml, "r.yaml");
  test::FakeCatalog catalog;
  return error_text([&] { validate(root, stage_schema(), catalog); });
}

TEST(Validate, FillsDefaultsRecursively) {
  Node root = parse_yaml(kGood, "r.yaml");
  test::FakeCatalog catalog;
  validate(root, stage_schema(), catalog);
  EXPECT_EQ(
      emit_yaml(root),
      "stage: data\n"
      "input:\n  plugin: text_files\n  paths:\n    - a/*\n  mode: file\n  files_per_shard: 1\n"
      "steps:\n  - plugin: length\n    min_chars: 5\n"
      "seed: 1337\ndevice: auto\nworkers: 0\n"
      "optimizer:\n  lr: 0.001\n  fused: false\n");
  // Defaults point at the mapping they were added to, so later errors still have a place.
  EXPECT_EQ(root.find("seed")->location().str(), "r.yaml:1:1");
  EXPECT_EQ(root.find("input")->find("mode")->location().str(), "r.yaml:2:8");
  EXPECT_EQ(root.find("optimizer")->find("lr")->location().str(), "r.yaml:1:1");
}

TEST(Validate, NullCountsAsAbsent) {
  Node root = parse_yaml(std::string(kGood) + "seed: ~\nname:\n", "r.yaml");
  test::FakeCatalog catalog;
  validate(root, stage_schema(), catalog);
  EXPECT_EQ(root.find("seed")->text(), "1337");
  EXPECT_EQ(root.find_entry("seed")->key_location.str(), "r.yaml:5:1");
  EXPECT_TRUE(root.find("name")->is_null());
  EXPECT_EQ(validation_error("stage: ~\ninput: ~\n"),
            "r.yaml:1:1: missing required key 'stage'\n"
            "r.yaml:1:1: missing required key 'input'");
}

TEST(Validate, AcceptsEveryTypeWhenRight) {
  EXPECT_EQ(validation_error(std::string(kGood) +
                             "seed: -3\ndevice: cuda\nworkers: 8\ntags: one\n"
                             "optimizer: {lr: 1.0e-3, betas: [0.9, 0.95], fused: yes}\n"
                             "metadata: {anything: [1, {x: y}]}\n"
                             "output: {plugin: jsonl, compression: none}\n"),
            "(no error)");
  EXPECT_EQ(validation_error(std::string(kGood) + "tags: [a, 'b']\n"), "(no error)");
}

TEST(Validate, ReportsUnknownKeysAtTheKey) {
  EXPECT_EQ(validation_error(std::string(kGood) + "optimiser: {lr: 1}\nzzz: 1\n"),
            "r.yaml:5:1: optimiser: unknown key 'optimiser'; did you mean 'optimizer'?\n"
            "r.yaml:6:1: zzz: unknown key 'zzz' (known keys: stage, name, seed, device, workers, "
            "input, steps, output, optimizer, tags, metadata)");
  EXPECT_EQ(validation_error(std::string(kGood) + "optimizer:\n  lf: 0.1\n"),
            "r.yaml:6:3: optimizer.lf: unknown key 'lf'; did you mean 'lr'?");
}

TEST(Validate, ReportsUnknownKeysInPluginSections) {
  EXPECT_EQ(validation_error("stage: data\ninput: {plugin: text_files, paths: [a], moed: file}\n"
                             "steps:\n  - {plugin: length, min_char: 1, qqq: 2}\n"),
            "r.yaml:2:41: input.moed: unknown key 'moed'; did you mean 'mode'?\n"
            "r.yaml:4:22: steps[0].min_char: unknown key 'min_char'; did you mean 'min_chars'?\n"
            "r.yaml:4:35: steps[0].qqq: unknown key 'qqq' (known keys: plugin, min_chars, "
            "max_chars)");
}

TEST(Validate, ReportsUnknownPlugins) {
  EXPECT_EQ(validation_error("stage: data\ninput: {plugin: text_file, paths: [a]}\n"
                             "steps:\n  - {plugin: lenght}\n  - {plugin: zzz}\n"
                             "  - {plugin: jsonl}\n  - {min_chars: 1}\n  - {plugin: [x]}\n  - x\n"),
            "r.yaml:2:17: input.plugin: unknown dataset plugin 'text_file'; did you mean "
            "'text_files'?\n"
            "r.yaml:4:14: steps[0].plugin: unknown filter plugin 'lenght'; did you mean 'length'?\n"
            "r.yaml:5:14: steps[1].plugin: unknown filter plugin 'zzz' (available: length, "
            "language)\n"
            "r.yaml:6:14: steps[2].plugin: unknown filter plugin 'jsonl'; it is a dataset plugin "
            "(available filter plugins: length, language)\n"
            "r.yaml:7:5: steps[3]: missing required key 'plugin' (filter plugins: length, "
            "language)\n"
            "r.yaml:8:14: steps[4].plugin: expected a filter plugin name, found a list\n"
            "r.yaml:9:5: steps[5]: expected a mapping with 'plugin:' naming a filter plugin, found "
            "'x'");
}

TEST(Validate, ReportsWrongTypes) {
  EXPECT_EQ(validation_error("stage: [data]\nname: {a: 1}\nseed: 1.5\nworkers: many\n"
                             "input: text_files\nsteps: {plugin: length}\n"
                             "optimizer: {lr: fast, betas: [0.9, x], fused: maybe}\n"
                             "tags: [a, [b]]\n"),
            "r.yaml:1:8: stage: expected a string, found a list\n"
            "r.yaml:2:7: name: expected a string, found a mapping\n"
            "r.yaml:3:7: seed: expected an integer, found '1.5'\n"
            "r.yaml:4:10: workers: expected an integer >= 0, found 'many'\n"
            "r.yaml:5:8: input: expected a mapping with 'plugin:' naming a dataset plugin, found "
            "'text_files'\n"
            "r.yaml:6:8: steps: expected a list of filter plugin sections, found a mapping\n"
            "r.yaml:7:17: optimizer.lr: expected a number in [0, 1], found 'fast'\n"
            "r.yaml:7:36: optimizer.betas[1]: expected a number, found 'x'\n"
            "r.yaml:7:47: optimizer.fused: expected true or false, found 'maybe'\n"
            "r.yaml:8:11: tags[1]: expected a string, found a list");
  EXPECT_EQ(validation_error(std::string(kGood) + "optimizer: 3\n"),
            "r.yaml:5:12: optimizer: expected a mapping, found '3'");
  EXPECT_EQ(validation_error(std::string(kGood) + "optimizer: {betas: 0.9}\n"),
            "r.yaml:5:20: optimizer.betas: expected a list of numbers, found '0.9'");
}

TEST(Validate, ExplainsQuotedValuesAndHugeIntegers) {
  EXPECT_EQ(
      validation_error(std::string(kGood) + "seed: '12'\noptimizer: {lr: \"0.1\", fused: 'true'}\n"
                                            "workers: 123456789012345678901234567890\n"),
      "r.yaml:5:7: seed: expected an integer, found '12' (it is quoted, so it is a string; "
      "remove the quotes)\n"
      "r.yaml:6:17: optimizer.lr: expected a number in [0, 1], found '0.1' (it is quoted, so "
      "it is a string; remove the quotes)\n"
      "r.yaml:6:31: optimizer.fused: expected true or false, found 'true' (it is quoted, so it "
      "is a string; remove the quotes)\n"
      "r.yaml:7:10: workers: expected an integer >= 0, found '123456789012345678901234567890' "
      "(too large for a 64-bit integer)");
}

TEST(Validate, ReportsRangesAndChoices) {
  EXPECT_EQ(validation_error("stage: data\ndevice: gpu\nworkers: -1\n"
                             "input: {plugin: text_files, paths: [a], mode: lines, "
                             "files_per_shard: 0}\n"
                             "optimizer: {lr: 2}\nsteps: [{plugin: language, keep: [en], "
                             "threshold: .nan}]\n"),
            "r.yaml:2:9: device: expected one of 'cpu', 'cuda', 'auto', found 'gpu'; did you mean "
            "'cpu'?\n"
            "r.yaml:3:10: workers: expected an integer >= 0, found '-1'\n"
            "r.yaml:4:47: input.mode: expected one of 'file', 'paragraph', found 'lines'\n"
            "r.yaml:4:71: input.files_per_shard: expected an integer >= 1, found '0'\n"
            "r.yaml:5:17: optimizer.lr: expected a number in [0, 1], found '2'\n"
            "r.yaml:6:51: steps[0].threshold: expected a number in [0, 1], found '.nan'");
  EXPECT_EQ(validation_error(std::string(kGood) + "device: cdua\n"),
            "r.yaml:5:9: device: expected one of 'cpu', 'cuda', 'auto', found 'cdua'; did you "
            "mean 'cuda'?");
}

TEST(Validate, ReportsMissingRequiredKeysAtTheMapping) {
  EXPECT_EQ(validation_error("name: x\n"),
            "r.yaml:1:1: missing required key 'stage'\n"
            "r.yaml:1:1: missing required key 'input'");
  EXPECT_EQ(validation_error("stage: data\ninput:\n  plugin: text_files\n"
                             "steps:\n  - plugin: language\n"),
            "r.yaml:3:3: input: missing required key 'paths'\n"
            "r.yaml:5:5: steps[0]: missing required key 'keep'");
}

TEST(Validate, CollectsEveryProblemInDocumentOrder) {
  std::string message = validation_error(
      "stage: data\nseed: x\ninput: {plugin: text_files, paths: [a], mode: z}\nbad: 1\n");
  EXPECT_EQ(message,
            "r.yaml:2:7: seed: expected an integer, found 'x'\n"
            "r.yaml:3:47: input.mode: expected one of 'file', 'paragraph', found 'z'\n"
            "r.yaml:4:1: bad: unknown key 'bad' (known keys: stage, name, seed, device, workers, "
            "input, steps, output, optimizer, tags, metadata)");
}

TEST(Validate, RefusesANonMappingRoot) {
  Node root = parse_yaml("[1]", "r.yaml");
  test::FakeCatalog catalog;
  EXPECT_EQ(error_text([&] { validate(root, stage_schema(), catalog); }),
            "r.yaml:1:1: expected a mapping, found a list");
}

TEST(Validate, OmitsEmptyLocations) {
  Node root = Node::map();
  root.set("stage", Node::sequence());
  test::FakeCatalog catalog;
  EXPECT_EQ(error_text([&] { validate(root, Schema{param::string("stage")}, catalog); }),
            "stage: expected a string, found a list");
}

}  // namespace
}  // namespace forge
