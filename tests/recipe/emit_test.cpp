#include <forge/scalar.h>

#include "recipe/recipe.h"

#include <gtest/gtest.h>

#include <string>

namespace forge {
namespace {

// Same structure, keys, scalar texts and scalar types (number, boolean or string).
::testing::AssertionResult same_tree(const Node& a, const Node& b, const std::string& path = "") {
  auto differ = [&](const std::string& what) {
    return ::testing::AssertionFailure() << "at '" << path << "': " << what;
  };
  if (a.kind() != b.kind()) return differ("kinds differ");
  if (a.is_scalar()) {
    if (a.text() != b.text()) return differ("'" + a.text() + "' != '" + b.text() + "'");
    if (as_number(a).has_value() != as_number(b).has_value() ||
        as_boolean(a).has_value() != as_boolean(b).has_value())
      return differ("types differ for '" + a.text() + "'");
  }
  if (a.items().size() != b.items().size()) return differ("list lengths differ");
  if (a.entries().size() != b.entries().size()) return differ("mapping sizes differ");
  for (std::size_t i = 0; i < a.items().size(); ++i)
    if (auto r = same_tree(a.items()[i], b.items()[i], path + "[" + std::to_string(i) + "]"); !r)
      return r;
  for (std::size_t i = 0; i < a.entries().size(); ++i) {
    const auto& x = a.entries()[i];
    const auto& y = b.entries()[i];
    if (x.key != y.key) return differ("key '" + x.key + "' != '" + y.key + "'");
    if (auto r = same_tree(x.value, y.value, path + "." + x.key); !r) return r;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult round_trips(const Node& node) {
  std::string text = emit_yaml(node);
  Node back = parse_yaml(text, "emitted.yaml");
  auto result = same_tree(node, back);
  if (!result) result << "\nemitted:\n" << text;
  return result;
}

TEST(EmitYaml, WritesBlockStyleInKeyOrder) {
  Node root = parse_yaml("z: 1\na: {list: [1, two], empty: {}, none: []}\nm: ~\n", "t.yaml");
  EXPECT_EQ(emit_yaml(root),
            "z: 1\na:\n  list:\n    - 1\n    - two\n  empty: {}\n  none: []\nm: ~\n");
}

TEST(EmitYaml, QuotesStringsThatWouldReadAsOtherTypes) {
  Node root = parse_yaml(
      "a: '1'\nb: \"true\"\nc: 'null'\nd: ''\ne: '~'\nf: '1.5e3'\ng: 'no'\nh: '.inf'\n"
      "i: 'plain'\nj: 1\nk: true\n",
      "t.yaml");
  EXPECT_EQ(emit_yaml(root),
            "a: \"1\"\nb: \"true\"\nc: \"null\"\nd: \"\"\ne: \"~\"\nf: \"1.5e3\"\ng: \"no\"\n"
            "h: \".inf\"\ni: plain\nj: 1\nk: true\n");
  EXPECT_TRUE(round_trips(root));
}

TEST(EmitYaml, QuotesTextThatIsNotPlainSafe) {
  Node root = Node::map();
  for (const char* text : {"a: b",
                           "- x",
                           "--- x",
                           "...",
                           "#c",
                           "a #c",
                           "[x]",
                           "{x}",
                           "x,y",
                           "trailing ",
                           " leading",
                           "*alias",
                           "&anchor",
                           "!tag",
                           "%dir",
                           "@at",
                           "`tick",
                           "'single",
                           "\"double",
                           "|block",
                           ">fold",
                           "?q",
                           "a\nb",
                           "tab\there",
                           "cr\rhere",
                           "nul-free \x7F",
                           "\xE2\x80\xA8sep",
                           "caf\xC3\xA9",
                           "C:\\path",
                           "http://x/y?z=1",
                           "-5",
                           "+1",
                           ".5",
                           "-.inf"})
    root.set(text, Node::scalar(text, true));
  EXPECT_TRUE(round_trips(root));
}

TEST(EmitYaml, PlainTextKeepsItsType) {
  Node root = Node::map();
  for (const char* text : {"1", "-2", "3.5", "1e-3", "1_000", "true", "off", "file", "a/b*.txt"})
    root.set(text, Node::scalar(text));
  root.set("null-text", Node::scalar("null"));  // only programs make this; it stays a scalar
  EXPECT_TRUE(round_trips(root));
}

TEST(EmitYaml, RoundTripsParsedRecipes) {
  const char* recipes[] = {
      "stage: data\ninput: {plugin: text_files, paths: [\"/usr/share/*\"], mode: paragraph}\n"
      "steps:\n  - {plugin: length, min_chars: 50}\n  - ~\n  -\n    - [1, [2, []]]\n"
      "output: {plugin: jsonl, path: output, compression: gzip}\n",
      "text: |\n  line one\n  line two\nfolded: >\n  a\n  b\nkeep: |+\n  x\n\nstrip: |-\n  y\n",
      "\"quoted key\": 1\n'1': one\n\"\": empty key\nk: \"esc \\t \\\\ \\\" \\u00e9 \\x01\"\n",
      "anchors: &a {x: [1, 2]}\ncopy: *a\n"};
  for (const char* recipe : recipes) EXPECT_TRUE(round_trips(parse_yaml(recipe, "t.yaml")));
}

TEST(EmitYaml, WritesScalarAndEmptyRoots) {
  EXPECT_EQ(emit_yaml(Node::scalar("x")), "x\n");
  EXPECT_EQ(emit_yaml(Node::map()), "{}\n");
  EXPECT_EQ(emit_yaml(Node::sequence()), "[]\n");
  EXPECT_EQ(emit_yaml(Node::null()), "~\n");
}

}  // namespace
}  // namespace forge

namespace forge {
namespace {

TEST(EmitYaml, EscapesLiteralInterpolationSoARoundTripKeepsIt) {
  Node root = parse_yaml("note: 'costs $${price} today'\n", "<test>");
  interpolate(root);
  EXPECT_EQ(root.find("note")->text(), "costs ${price} today");
  Node again = parse_yaml(emit_yaml(root), "<emitted>");
  interpolate(again);
  EXPECT_EQ(again.find("note")->text(), "costs ${price} today");
}

TEST(EmitYaml, WritesRawKeysAsTheyAreSoAReloadKeepsThemUninterpolated) {
  Node root = parse_yaml("a: $${lit}\nlater: [{x: '${name}', y: '$${z}'}]\n", "<test>");
  interpolate(root, {"later"});
  std::string text = emit_yaml(root, {"later"});
  EXPECT_NE(text.find("a: \"$${lit}\""), std::string::npos) << text;
  EXPECT_NE(text.find("${name}"), std::string::npos) << text;
  EXPECT_EQ(text.find("$${name}"), std::string::npos) << text;
  Node again = parse_yaml(text, "<emitted>");
  interpolate(again, {"later"});
  EXPECT_EQ(again.find("a")->text(), "${lit}");
  EXPECT_EQ(again.find("later")->items()[0].find("x")->text(), "${name}");
  EXPECT_EQ(again.find("later")->items()[0].find("y")->text(), "$${z}");
}

}  // namespace
}  // namespace forge
