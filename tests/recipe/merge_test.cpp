#include "recipe/error_text.h"
#include "recipe/recipe.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace forge {
namespace {

using test::error_text;

// The engine's test recipes (tests/recipes/engine).
std::string dir() { return std::string(FORGE_TEST_DATA_DIR) + "/recipes/engine"; }

TEST(DeepMerge, MergesMappingsAndReplacesEverythingElse) {
  Node base = parse_yaml("a: {x: 1, y: {p: 1, q: 2}}\nlist: [1, 2, 3]\ns: old\nn: 5\nkeep: yes\n",
                         "base.yaml");
  Node overlay = parse_yaml("a: {y: {q: 3, r: 4}, z: 5}\nlist: [9]\ns: ~\nn: {now: map}\nnew: 1\n",
                            "top.yaml");
  deep_merge(base, overlay);
  EXPECT_EQ(
      emit_yaml(base),
      "a:\n  x: 1\n  y:\n    p: 1\n    q: 3\n    r: 4\n  z: 5\nlist:\n  - 9\ns: ~\nn:\n  now: "
      "map\nkeep: yes\nnew: 1\n");
}

TEST(DeepMerge, KeepsTheOverlaysLocations) {
  Node base = parse_yaml("a:\n  x: 1\n  y: 2\n", "base.yaml");
  Node overlay = parse_yaml("a: {y: 3}\n", "top.yaml");
  deep_merge(base, overlay);
  const Node::Entry* a = base.find_entry("a");
  EXPECT_EQ(a->key_location.str(), "top.yaml:1:1");
  EXPECT_EQ(a->value.location().str(), "top.yaml:1:4");
  EXPECT_EQ(a->value.find("x")->location().str(), "base.yaml:2:6");
  EXPECT_EQ(a->value.find("y")->location().str(), "top.yaml:1:8");
  EXPECT_EQ(a->value.find_entry("y")->key_location.str(), "top.yaml:1:5");
}

TEST(DeepMerge, ANonMappingOverlayReplacesTheWhole) {
  Node base = parse_yaml("a: 1\n", "base.yaml");
  deep_merge(base, parse_yaml("[1, 2]", "top.yaml"));
  EXPECT_TRUE(base.is_sequence());
}

TEST(LoadRecipe, FollowsBasesRelativeToTheIncludingFile) {
  Node root = load_recipe(dir() + "/child.yaml");
  EXPECT_EQ(emit_yaml(root),
            "seed: 7\n"
            "device: cpu\n"
            "output:\n  plugin: jsonl\n  path: out\n"
            "name: child\n"
            "input:\n  plugin: text_files\n  paths:\n    - corpus/*.txt\n  mode: paragraph\n"
            "steps:\n  - plugin: length\n    min_chars: 10\n"
            "stage: data\n");
  EXPECT_EQ(root.find("name")->location().str(), dir() + "/child.yaml:4:7");
  EXPECT_EQ(root.find("seed")->location().str(), dir() + "/parts/common.yaml:1:7");
  EXPECT_EQ(root.location().str(), dir() + "/child.yaml:2:1");
  EXPECT_EQ(root.find("base"), nullptr);
}

TEST(LoadRecipe, LaterBasesOverrideEarlierOnes) {
  Node root = load_recipe(dir() + "/multi.yaml");
  EXPECT_EQ(emit_yaml(root),
            "seed: 2\nname: first\noutput:\n  plugin: jsonl\n  compression: none\n  path: second\n"
            "stage: data\n");
}

TEST(LoadRecipe, RefusesCyclesNamingTheChain) {
  std::string a = dir() + "/cycle_a.yaml";
  std::string b = dir() + "/parts/cycle_b.yaml";
  EXPECT_EQ(error_text([&] { load_recipe(a); }),
            b + ":1:7: base: inheritance cycle: " + a + " -> " + b + " -> " + a);
  std::string self = dir() + "/self_cycle.yaml";
  EXPECT_EQ(error_text([&] { load_recipe(self); }),
            self + ":2:7: base: inheritance cycle: " + self + " -> " + self);
}

TEST(LoadRecipe, LocatesAMissingBaseAtItsValue) {
  std::string file = dir() + "/missing_base.yaml";
  EXPECT_EQ(error_text([&] { load_recipe(file); }),
            file + ":2:27: base: " + dir() + "/parts/nowhere.yaml: no such file");
}

TEST(LoadRecipe, RefusesBadFilesAndTopLevels) {
  EXPECT_EQ(error_text([&] { load_recipe(dir() + "/absent.yaml"); }),
            dir() + "/absent.yaml: no such file");
  EXPECT_EQ(error_text([&] { load_recipe(dir()); }), dir() + ": is a folder, not a recipe file");
  EXPECT_EQ(error_text([&] { load_recipe("/dev/null"); }), "/dev/null: not a regular file");
  EXPECT_EQ(
      error_text([&] { load_recipe(dir() + "/top_list.yaml"); }),
      dir() +
          "/top_list.yaml:1:1: expected a mapping with 'stage:' at the top level, found a list");
  EXPECT_EQ(
      error_text([&] { load_recipe(dir() + "/base_list.yaml"); }),
      dir() +
          "/top_list.yaml:1:1: expected a mapping with 'stage:' at the top level, found a list");
  EXPECT_EQ(
      error_text([&] { load_recipe(dir() + "/bad_base.yaml"); }),
      dir() + "/bad_base.yaml:1:7: base: expected a path or a list of paths, found a mapping");
}

TEST(LoadRecipe, RefusesHugeFiles) {
  auto file =
      std::filesystem::temp_directory_path() / cat("forge-recipe-huge-", ::getpid(), ".yaml");
  {
    std::ofstream out(file, std::ios::binary);
    out << "stage: data\n" << std::string(5 << 20, '#');
  }
  std::string message = error_text([&] { load_recipe(file); });
  std::filesystem::remove(file);
  EXPECT_EQ(message, file.string() + ": larger than 4 MiB; is this really a recipe?");
}

TEST(LoadRecipe, LoadsTheValidRecipes) {
  for (const char* name : {"child.yaml", "multi_base.yaml", "interpolation.yaml", "minimal.yaml"}) {
    Node root = load_recipe(std::string(FORGE_TEST_DATA_DIR) + "/recipes/valid/" + name);
    interpolate(root);
    EXPECT_EQ(root.find("stage")->text(), "data") << name;
  }
}

}  // namespace
}  // namespace forge
