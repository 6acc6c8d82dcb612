#include "recipe/error_text.h"
#include "recipe/fake_catalog.h"
#include "recipe/recipe.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace forge {
namespace {

using test::error_text;

constexpr const char* kRecipe =
    "stage: data\n"
    "seed: 1\n"
    "input: {plugin: text_files, paths: [a]}\n"
    "steps:\n"
    "  - {plugin: length, min_chars: 1}\n"
    "  - {plugin: length, max_chars: 9}\n";

Node overridden(const std::vector<std::string>& overrides) {
  Node root = parse_yaml(kRecipe, "r.yaml");
  apply_overrides(root, overrides);
  return root;
}

std::string override_error(const std::string& text) {
  return error_text([&] { overridden({text}); });
}

TEST(ApplyOverrides, SetsScalarsParsedAsYaml) {
  Node root = overridden({"seed=42", "name='007'", "input.mode = paragraph", "description="});
  EXPECT_EQ(root.find("seed")->text(), "42");
  EXPECT_FALSE(root.find("seed")->quoted());
  EXPECT_EQ(root.find("name")->text(), "007");
  EXPECT_TRUE(root.find("name")->quoted());
  EXPECT_EQ(root.find("input")->find("mode")->text(), "paragraph");
  EXPECT_TRUE(root.find("description")->is_null());
}

TEST(ApplyOverrides, SplitsAtTheFirstEquals) {
  Node root = overridden({"description=a=b"});
  EXPECT_EQ(root.find("description")->text(), "a=b");
}

TEST(ApplyOverrides, AcceptsFlowCollections) {
  Node root = overridden({"input.paths=[x, 'z']", "output={plugin: jsonl, path: out}"});
  EXPECT_EQ(emit_yaml(*root.find("input")->find("paths")), "- x\n- z\n");
  EXPECT_EQ(emit_yaml(*root.find("output")), "plugin: jsonl\npath: out\n");
}

TEST(ApplyOverrides, CreatesMissingMappings) {
  Node root = overridden({"a.b.c=1"});
  EXPECT_EQ(emit_yaml(*root.find("a")), "b:\n  c: 1\n");
  Node with_null = parse_yaml("a: ~\n", "r.yaml");
  apply_overrides(with_null, {"a.b=2"});
  EXPECT_EQ(emit_yaml(with_null), "a:\n  b: 2\n");
}

TEST(ApplyOverrides, IndexesListsWithDotsOrBrackets) {
  Node root = overridden({"steps.0.min_chars=10", "steps[1].max_chars=20", "input.paths[0]=z"});
  EXPECT_EQ(root.find("steps")->items()[0].find("min_chars")->text(), "10");
  EXPECT_EQ(root.find("steps")->items()[1].find("max_chars")->text(), "20");
  EXPECT_EQ(root.find("input")->find("paths")->items()[0].text(), "z");
}

TEST(ApplyOverrides, LocatesWhatItCreates) {
  Node root = overridden({"optimizer.lr=1", "input={plugin: jsonl, x: [1]}"});
  const Node::Entry* optimizer = root.find_entry("optimizer");
  EXPECT_EQ(optimizer->key_location.str(), "override 'optimizer.lr=1'");
  EXPECT_EQ(optimizer->value.location().str(), "override 'optimizer.lr=1'");
  EXPECT_EQ(optimizer->value.find_entry("lr")->key_location.str(), "override 'optimizer.lr=1'");
  EXPECT_EQ(optimizer->value.find("lr")->location().line, 0);
  const Node* x = root.find("input")->find("x");
  EXPECT_EQ(x->items()[0].location().str(), "override 'input={plugin: jsonl, x: [1]}'");
  EXPECT_EQ(root.find("input")->find_entry("x")->key_location.str(),
            "override 'input={plugin: jsonl, x: [1]}'");
}

TEST(ApplyOverrides, ValidationNamesTheOverride) {
  Node root = overridden({"optimiser.lr=1"});
  Schema schema{param::string("stage"), param::integer("seed"), param::any("input"),
                param::any("steps"), param::any("optimizer")};
  test::FakeCatalog catalog;
  EXPECT_EQ(error_text([&] { validate(root, schema, catalog); }),
            "override 'optimiser.lr=1': optimiser: unknown key 'optimiser'; did you mean "
            "'optimizer'?");
}

TEST(ApplyOverrides, DeletesKeysAndItems) {
  Node root = overridden({"~seed", "~steps.0", "~input.paths[0]"});
  EXPECT_EQ(root.find("seed"), nullptr);
  ASSERT_EQ(root.find("steps")->items().size(), 1u);
  EXPECT_EQ(root.find("steps")->items()[0].find("max_chars")->text(), "9");
  EXPECT_TRUE(root.find("input")->find("paths")->items().empty());
}

TEST(ApplyOverrides, AppliesInOrder) {
  Node root = overridden({"seed=1", "~seed", "seed=3"});
  EXPECT_EQ(root.find("seed")->text(), "3");
}

TEST(ApplyOverrides, RefusesDeletingNothing) {
  EXPECT_EQ(override_error("~a.b"), "override '~a.b': nothing to delete at 'a.b'");
  EXPECT_EQ(override_error("~steps.5"), "override '~steps.5': nothing to delete at 'steps[5]'");
  EXPECT_EQ(override_error("~seed.x"), "override '~seed.x': nothing to delete at 'seed.x'");
}

TEST(ApplyOverrides, RefusesIndexesOutOfRange) {
  EXPECT_EQ(
      override_error("steps.2.min_chars=1"),
      "override 'steps.2.min_chars=1': steps: index 2 is out of range (the list has 2 items)");
  EXPECT_EQ(override_error("steps.x=1"),
            "override 'steps.x=1': steps: is a list; use an index like 'steps.0', not 'x'");
}

TEST(ApplyOverrides, RefusesKeysBelowAScalar) {
  EXPECT_EQ(override_error("seed.value=1"),
            "override 'seed.value=1': seed: is a scalar ('1'), so it has no key 'value'");
  EXPECT_EQ(override_error("input.paths.0.x=1"),
            "override 'input.paths.0.x=1': input.paths[0]: is a scalar ('a'), so it has no key "
            "'x'");
}

TEST(ApplyOverrides, RefusesMalformedText) {
  for (const char* text : {"seed", "=1", " =1", "a..b=1", ".a=1", "a.=1", "a[x]=1", "a[=1",
                           "a[0]b=1", "[0]=1", "~", "~a=1", "", "a b=1"})
    EXPECT_EQ(override_error(text), cat("override '", text, "': expected key=value or ~key"));
}

TEST(ApplyOverrides, LocatesBadValues) {
  EXPECT_EQ(override_error("seed=[1, 2"),
            "override 'seed=[1, 2':1:1: invalid YAML: end of sequence flow not found (a '[' is "
            "not closed with ']')");
}

}  // namespace
}  // namespace forge
