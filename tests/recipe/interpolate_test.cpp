#include "recipe/error_text.h"
#include "recipe/recipe.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace forge {
namespace {

using test::error_text;

Node interpolated(const std::string& yaml) {
  Node root = parse_yaml(yaml, "r.yaml");
  interpolate(root);
  return root;
}

std::string interpolation_error(const std::string& yaml) {
  return error_text([&] { interpolated(yaml); });
}

TEST(Interpolate, ReplacesAWholeScalarWithACopyOfTheTarget) {
  Node root = interpolated(
      "data: {dir: /tmp/x, files: [a, b], shards: 4}\n"
      "input:\n  where: ${data}\n  list: ${data.files}\n  count: ${data.shards}\n");
  const Node* input = root.find("input");
  EXPECT_EQ(emit_yaml(*input->find("where")), "dir: /tmp/x\nfiles:\n  - a\n  - b\nshards: 4\n");
  EXPECT_EQ(input->find("where")->location().str(), "r.yaml:3:10");
  EXPECT_EQ(input->find("where")->find("dir")->location().str(), "r.yaml:1:13");
  EXPECT_EQ(emit_yaml(*input->find("list")), "- a\n- b\n");
  EXPECT_EQ(input->find("count")->text(), "4");
  EXPECT_FALSE(input->find("count")->quoted());
  EXPECT_EQ(input->find("count")->location().str(), "r.yaml:5:10");
}

TEST(Interpolate, QuotedReferencesStayStrings) {
  Node root = interpolated("n: 4\ns: \"${n}\"\n");
  EXPECT_EQ(root.find("s")->text(), "4");
  EXPECT_TRUE(root.find("s")->quoted());
}

TEST(Interpolate, SubstitutesInsideLongerStrings) {
  Node root = interpolated(
      "name: kjv\nsteps: [{n: 3}]\nout: runs/${name}/step-${steps[0].n}-${steps.0.n}.h5\n");
  EXPECT_EQ(root.find("out")->text(), "runs/kjv/step-3-3.h5");
}

TEST(Interpolate, ResolvesTargetsFirst) {
  Node root = interpolated(
      "a: ${b}/a\nb: ${c.d}/b\nc: {d: '${e}'}\ne: root\nf: ${c}\ng: ${h.x}\nh: ${c2}\nc2: {x: "
      "1}\n");
  EXPECT_EQ(root.find("a")->text(), "root/b/a");
  EXPECT_EQ(root.find("b")->text(), "root/b");
  EXPECT_EQ(emit_yaml(*root.find("f")), "d: root\n");
  EXPECT_EQ(root.find("g")->text(), "1");
}

TEST(Interpolate, ReadsTheEnvironment) {
  ::setenv("FORGE_TEST_HOME", "/home/x", 1);
  ::setenv("FORGE_TEST_EMPTY", "", 1);
  ::unsetenv("FORGE_TEST_UNSET");
  Node root = interpolated(
      "a: ${env:FORGE_TEST_HOME}/data\nb: ${env:FORGE_TEST_UNSET:-fallback}\n"
      "c: ${env:FORGE_TEST_EMPTY:-was empty}\nd: ${env:FORGE_TEST_EMPTY}\n"
      "e: ${ env:FORGE_TEST_HOME }\n");
  EXPECT_EQ(root.find("a")->text(), "/home/x/data");
  EXPECT_EQ(root.find("b")->text(), "fallback");
  EXPECT_EQ(root.find("c")->text(), "was empty");
  EXPECT_EQ(root.find("d")->text(), "");
  EXPECT_EQ(root.find("e")->text(), "/home/x");
  EXPECT_EQ(interpolation_error("a:\n  b: x${env:FORGE_TEST_UNSET}\n"),
            "r.yaml:2:6: a.b: environment variable 'FORGE_TEST_UNSET' is not set (set it, or "
            "give a default: ${env:FORGE_TEST_UNSET:-value})");
  EXPECT_EQ(interpolation_error("a: ${env:BAD-NAME}\n"),
            "r.yaml:1:4: a: '${env:BAD-NAME}': expected ${env:NAME} or ${env:NAME:-default}");
}

TEST(Interpolate, NeverReinterpretsSubstitutedText) {
  ::setenv("FORGE_TEST_DOLLAR", "${a}", 1);
  Node root = interpolated("a: x\nb: ${env:FORGE_TEST_DOLLAR}\nc: ${b}!\nd: $${a}\n");
  EXPECT_EQ(root.find("b")->text(), "${a}");
  EXPECT_EQ(root.find("c")->text(), "${a}!");
  EXPECT_EQ(root.find("d")->text(), "${a}");
}

TEST(Interpolate, DoubleDollarIsALiteral) {
  Node root = interpolated("a: x\nb: cost $${a} and ${a} and $$${a}\nc: '$$${'\nd: $$5\n");
  EXPECT_EQ(root.find("b")->text(), "cost ${a} and x and $${a}");
  EXPECT_EQ(root.find("c")->text(), "$${");
  EXPECT_EQ(root.find("d")->text(), "$$5");
}

TEST(Interpolate, RefusesCyclesNamingTheChain) {
  EXPECT_EQ(interpolation_error("a: ${b}\nb: ${c}\nc: ${a}\n"),
            "r.yaml:1:4: a: interpolation cycle: a -> b -> c -> a");
  EXPECT_EQ(interpolation_error("a: x${a}\n"), "r.yaml:1:4: a: interpolation cycle: a -> a");
  EXPECT_EQ(interpolation_error("a:\n  b: ${a}\n"),
            "r.yaml:2:6: a.b: interpolation cycle: a.b -> a -> a.b");
  EXPECT_EQ(interpolation_error("x: ${l[1]}\nl: [1, '${x}']\n"),
            "r.yaml:1:4: x: interpolation cycle: x -> l[1] -> x");
}

TEST(Interpolate, RefusesMissingKeysWithASuggestion) {
  EXPECT_EQ(interpolation_error("model: {n_layer: 2}\nx: ${model.n_layers}\n"),
            "r.yaml:2:4: x: '${model.n_layers}' refers to a missing key 'model.n_layers'; did you "
            "mean 'model.n_layer'?");
  EXPECT_EQ(interpolation_error("model: {n_layer: 2}\nx: a${zzz.q}\n"),
            "r.yaml:2:4: x: '${zzz.q}' refers to a missing key 'zzz'");
  EXPECT_EQ(interpolation_error("l: [1]\nx: ${l[3]}\n"),
            "r.yaml:2:4: x: '${l[3]}': index 3 is out of range ('l' has 1 item)");
  EXPECT_EQ(interpolation_error("l: [1]\nx: ${l.a}\n"),
            "r.yaml:2:4: x: '${l.a}': 'l' is a list; use an index like 'l[0]'");
  EXPECT_EQ(interpolation_error("s: 1\nx: ${s.a}\n"),
            "r.yaml:2:4: x: '${s.a}': 's' is '1', not a mapping");
}

TEST(Interpolate, RefusesMalformedReferences) {
  EXPECT_EQ(interpolation_error("a: x ${b\n"),
            "r.yaml:1:4: a: unterminated '${' in 'x ${b' (write '$${' for a literal '${')");
  EXPECT_EQ(interpolation_error("a: ${}\n"),
            "r.yaml:1:4: a: '${}' is not a key path like ${a.b} or ${a.b[0]}");
  EXPECT_EQ(interpolation_error("a: ${b..c}\n"),
            "r.yaml:1:4: a: '${b..c}' is not a key path like ${a.b} or ${a.b[0]}");
}

TEST(Interpolate, ParseErrorsSayToQuoteReferencesInFlowCollections) {
  EXPECT_EQ(error_text([] { parse_yaml("paths: [${dir}/a]\n", "r.yaml"); }),
            "r.yaml:1:10: invalid YAML: end of sequence flow not found (inside [ ] or { }, quote "
            "values that use "
            "${...}: '${a.b}')");
}

TEST(Interpolate, RefusesCollectionsInsideStrings) {
  EXPECT_EQ(interpolation_error("m: {k: v}\nx: see ${m}\n"),
            "r.yaml:2:4: x: '${m}' is part of a longer string, so it must refer to a scalar, but "
            "'m' is a mapping");
  EXPECT_EQ(interpolation_error("m: ~\nx: see ${m}\n"),
            "r.yaml:2:4: x: '${m}' is part of a longer string, so it must refer to a scalar, but "
            "'m' is null");
}

TEST(Interpolate, LimitsExponentialCopies) {
  std::string yaml = "a0: [x, x, x, x]\n";
  for (int i = 1; i < 16; ++i)
    yaml += cat("a", i, ": ['${a", i - 1, "}', '${a", i - 1, "}', '${a", i - 1, "}', '${a", i - 1,
                "}']\n");
  EXPECT_NE(interpolation_error(yaml).find("interpolation copies more than 1000000 values"),
            std::string::npos);
  std::string strings = "s0: xxxxxxxxxxxxxxxx\n";
  for (int i = 1; i < 40; ++i) strings += cat("s", i, ": ${s", i - 1, "}${s", i - 1, "}\n");
  EXPECT_NE(interpolation_error(strings).find("interpolation makes a string longer than 1 MiB"),
            std::string::npos);
}

TEST(Interpolate, LimitsNestingThroughCopies) {
  std::string yaml = "a0: [x]\n";
  for (int i = 1; i < 70; ++i) yaml += cat("a", i, ": ['${a", i - 1, "}']\n");
  EXPECT_EQ(interpolation_error(yaml),
            "r.yaml:64:7: a63[0]: '${a62}' nests values deeper than 64 levels");
}

TEST(Interpolate, LimitsChainLength) {
  std::string yaml;
  for (int i = 0; i < 1000; ++i) yaml += cat("k", i, ": ${k", i + 1, "}\n");
  yaml += "k1000: end\n";
  EXPECT_NE(interpolation_error(yaml).find("interpolation references nest deeper than 200 levels"),
            std::string::npos);
}

TEST(Interpolate, LeavesDeferredKeysAsWritten) {
  Node root = parse_yaml(
      "name: p\nnote: ${name} $${x}\nlater: [{a: '${name}', b: '$${y}', c: '${train.steps}'}]\n",
      "r.yaml");
  interpolate(root, {"later"});
  EXPECT_EQ(root.find("note")->text(), "p ${x}");
  const Node& item = root.find("later")->items()[0];
  EXPECT_EQ(item.find("a")->text(), "${name}");
  EXPECT_EQ(item.find("b")->text(), "$${y}");
  EXPECT_EQ(item.find("c")->text(), "${train.steps}");
  // Interpolated on its own later, the deferred part resolves in its own scope.
  Node part = item;
  part.set("name", Node::scalar("child"));
  part.set("train", parse_yaml("steps: 5\n", "c.yaml"));
  interpolate(part);
  EXPECT_EQ(part.find("a")->text(), "child");
  EXPECT_EQ(part.find("b")->text(), "${y}");
  EXPECT_EQ(part.find("c")->text(), "5");
}

TEST(Interpolate, RefusesReferencesIntoDeferredKeys) {
  Node root = parse_yaml("later: {a: 1}\nx: ${later.a}\n", "r.yaml");
  std::string error = error_text([&] { interpolate(root, {"later"}); });
  EXPECT_EQ(error,
            "r.yaml:2:4: x: '${later.a}' refers into 'later', whose values are resolved later, "
            "each in its own scope; refer to them from inside it or write the value here");
}

}  // namespace
}  // namespace forge
