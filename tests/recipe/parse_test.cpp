#include <forge/error.h>

#include "recipe/error_text.h"
#include "recipe/recipe.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace forge {
namespace {

using test::error_text;

std::string parse_error(const std::string& text) {
  return error_text([&] { parse_yaml(text, "t.yaml"); });
}

TEST(ParseYaml, BuildsNodesWithLocations) {
  Node root = parse_yaml("stage: data\ninput:\n  paths: [a, 'b']\n  mode: ~\n", "r.yaml");
  ASSERT_TRUE(root.is_map());
  EXPECT_EQ(root.keys(), (std::vector<std::string>{"stage", "input"}));
  EXPECT_EQ(root.location().str(), "r.yaml:1:1");
  const Node::Entry* input = root.find_entry("input");
  EXPECT_EQ(input->key_location.str(), "r.yaml:2:1");
  const Node* paths = input->value.find("paths");
  ASSERT_TRUE(paths->is_sequence());
  EXPECT_EQ(paths->location().str(), "r.yaml:3:10");
  EXPECT_EQ(paths->items()[0].text(), "a");
  EXPECT_FALSE(paths->items()[0].quoted());
  EXPECT_EQ(paths->items()[1].location().str(), "r.yaml:3:14");
  EXPECT_TRUE(paths->items()[1].quoted());
  EXPECT_TRUE(input->value.find("mode")->is_null());
}

TEST(ParseYaml, QuotedAndBlockScalarsAreStrings) {
  Node root = parse_yaml("a: \"1\"\nb: !!str 2\nc: 3\nd: |\n  two\n  lines\ne: ''\n", "t.yaml");
  EXPECT_TRUE(root.find("a")->quoted());
  EXPECT_TRUE(root.find("b")->quoted());
  EXPECT_FALSE(root.find("c")->quoted());
  EXPECT_TRUE(root.find("d")->quoted());
  EXPECT_EQ(root.find("d")->text(), "two\nlines\n");
  ASSERT_TRUE(root.find("e")->is_scalar());
  EXPECT_EQ(root.find("e")->text(), "");
}

TEST(ParseYaml, NullSpellingsAreNull) {
  Node root = parse_yaml("a:\nb: ~\nc: null\nd: [~, null]\n", "t.yaml");
  for (const char* key : {"a", "b", "c"}) EXPECT_TRUE(root.find(key)->is_null()) << key;
  EXPECT_TRUE(root.find("d")->items()[0].is_null());
  EXPECT_TRUE(root.find("d")->items()[1].is_null());
}

TEST(ParseYaml, AcceptsAnyTopLevel) {
  EXPECT_TRUE(parse_yaml("- a\n- b\n", "t.yaml").is_sequence());
  EXPECT_EQ(parse_yaml("'x'", "t.yaml").text(), "x");
  EXPECT_TRUE(parse_yaml("~", "t.yaml").is_null());
}

TEST(ParseYaml, AcceptsUtf8AndByteOrderMark) {
  Node root = parse_yaml("\xEF\xBB\xBFname: caf\xC3\xA9 \xF0\x9F\x98\x80\n", "t.yaml");
  EXPECT_EQ(root.find("name")->text(), "caf\xC3\xA9 \xF0\x9F\x98\x80");
}

TEST(ParseYaml, AliasesCopyTheAnchoredValue) {
  Node root = parse_yaml("a: &common {x: 1, y: [2]}\nb: *common\n", "t.yaml");
  const Node* b = root.find("b");
  ASSERT_TRUE(b->is_map());
  EXPECT_EQ(b->find("x")->text(), "1");
  EXPECT_EQ(b->location().str(), "t.yaml:2:4");
  EXPECT_EQ(b->find("x")->location().str(), "t.yaml:1:16");
}

TEST(ParseYaml, RefusesEmptyDocuments) {
  const std::string empty = "t.yaml: recipe is empty; expected a mapping with 'stage:'";
  EXPECT_EQ(parse_error(""), empty);
  EXPECT_EQ(parse_error("  \n\n\t\n"), empty);
  EXPECT_EQ(parse_error("# nothing here\n   # nor here\n"), empty);
}

TEST(ParseYaml, RefusesBinaryData) {
  EXPECT_EQ(parse_error(std::string("a: 1\nb\0\xFF", 8)),
            "t.yaml:2:2: the file is binary, not YAML text (found byte 0x00)");
  EXPECT_EQ(parse_error("a: \x01"),
            "t.yaml:1:4: the file is binary, not YAML text (found byte 0x01)");
}

TEST(ParseYaml, RefusesInvalidUtf8) {
  EXPECT_EQ(parse_error("a: 1\nb: x\xFFy\n"),
            "t.yaml:2:5: invalid UTF-8 (byte 0xff); recipes must be UTF-8 text");
  EXPECT_EQ(parse_error("a: \xC3"),
            "t.yaml:1:4: invalid UTF-8 (byte 0xc3); recipes must be UTF-8 text");
  EXPECT_EQ(parse_error("a: \xC0\xAF"),  // overlong '/'
            "t.yaml:1:4: invalid UTF-8 (byte 0xc0); recipes must be UTF-8 text");
  EXPECT_EQ(parse_error("a: \xED\xA0\x80"),  // a UTF-16 surrogate
            "t.yaml:1:4: invalid UTF-8 (byte 0xed); recipes must be UTF-8 text");
  EXPECT_EQ(parse_error("\xC3\xA9: \xF4\x90\x80\x80"),  // past U+10FFFF; columns count bytes
            "t.yaml:1:5: invalid UTF-8 (byte 0xf4); recipes must be UTF-8 text");
}

TEST(ParseYaml, RefusesSecondDocument) {
  EXPECT_EQ(parse_error("a: 1\n---\nb: 2\n"),
            "t.yaml:2:1: a second YAML document; a recipe is one document (remove the '---')");
}

TEST(ParseYaml, RefusesDuplicateKeysNamingBothLines) {
  EXPECT_EQ(parse_error("seed: 1\nname: x\nseed: 2\n"),
            "t.yaml:3:1: duplicate key 'seed' (first defined on line 1)");
  EXPECT_EQ(parse_error("a: {b: 1, b: 2}"),
            "t.yaml:1:11: duplicate key 'b' (first defined on line 1)");
}

TEST(ParseYaml, RefusesKeysThatAreNotStrings) {
  EXPECT_EQ(parse_error("{a: 1}: 2\n"),
            "t.yaml:1:1: mapping keys must be strings, found a mapping");
  EXPECT_EQ(parse_error("? [a]\n: 1\n"), "t.yaml:1:3: mapping keys must be strings, found a list");
  EXPECT_EQ(parse_error(": 1\n"), "t.yaml:1:1: empty or null mapping key");
}

TEST(ParseYaml, ConvertsParserErrorsToOneBasedLocations) {
  EXPECT_EQ(parse_error("a: 1\nb: 'open"),
            "t.yaml:2:9: invalid YAML: illegal EOF in scalar (a quote is not closed)");
  EXPECT_EQ(
      parse_error("a: [1, 2]]\n"),
      "t.yaml:1:10: invalid YAML: illegal flow end (a ']' or '}' without its opening bracket)");
  EXPECT_EQ(parse_error("a:\n\tb: 1\n"),
            "t.yaml:2:3: invalid YAML: illegal map value (tabs cannot indent YAML; use spaces)");
  EXPECT_EQ(parse_error("a: *missing\n"),
            "t.yaml:1:4: invalid YAML: the referenced anchor is not defined");
}

// yaml-cpp itself accepts these when a line break follows the open quote.
TEST(ParseYaml, RefusesQuotesNeverClosed) {
  EXPECT_EQ(parse_error("a: 1\nb: 'open\nc: 2\n"),
            "t.yaml:2:4: invalid YAML: the single quote that opens here is never closed");
  EXPECT_EQ(parse_error("a: [x, \"open\n"),
            "t.yaml:1:8: invalid YAML: the double quote that opens here is never closed");
  EXPECT_EQ(parse_error("\xEF\xBB\xBFn: \xC3\xA9\na: &x !!str\n  # note\n  \"open \\\" still\n"),
            "t.yaml:2:4: invalid YAML: the double quote that opens here is never closed");
  Node root = parse_yaml("a: 'it''s'\nb: \"say \\\"hi\\\"\"\nc: &x !!str 'tagged'\n", "t.yaml");
  EXPECT_EQ(root.find("a")->text(), "it's");
  EXPECT_EQ(root.find("b")->text(), "say \"hi\"");
  EXPECT_EQ(root.find("c")->text(), "tagged");
}

TEST(ParseYaml, PointsAtAQuoteThatRanOn) {
  EXPECT_EQ(parse_error("name: \"demo\ndescription: x\npaths: [\"a/*\"]\n"),
            "t.yaml:3:10: invalid YAML: end of map not found (the quote that opens at 1:7 runs "
            "over several lines; is it closed?)");
}

std::string nested_lists(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(ParseYaml, LimitsNesting) {
  EXPECT_NO_THROW(parse_yaml("a: " + nested_lists(63), "t.yaml"));
  EXPECT_EQ(parse_error("a: " + nested_lists(64)), "t.yaml:1:67: nesting deeper than 64 levels");
  EXPECT_EQ(parse_error(nested_lists(200)), "t.yaml:1:65: nesting deeper than 64 levels");
  // Far past yaml-cpp's own recursion limit: still an error, never a crash.
  EXPECT_EQ(parse_error(std::string(100000, '[')), "t.yaml:1:1001: nesting deeper than 64 levels");
  // Brackets in quotes and comments are text, however many.
  std::string many(5000, '[');
  Node root =
      parse_yaml(cat("a: '", many, "'\nb: \"", many, "\" # ", many, "\n# ", many, "\n"), "t.yaml");
  EXPECT_EQ(root.find("b")->text(), many);
}

TEST(ParseYaml, RefusesAliasCyclesAndExplosions) {
  EXPECT_EQ(parse_error("a: &x [1, *x]\n"),
            "t.yaml:1:11: alias '*x' refers to a value that contains it (an alias cycle)");
  std::string laughs = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 10; ++i) {
    std::string previous = cat("*a", i - 1);
    laughs += cat("a", i, ": &a", i, " [", previous, ", ", previous, ", ", previous, ", ", previous,
                  "]\n");
  }
  EXPECT_NE(parse_error(laughs).find("aliases expand to more than 100000 values"),
            std::string::npos);
  // 40 levels behind the anchor plus 30 around the alias.
  std::string deep = cat("a: &a ", nested_lists(40), "\nb: ", std::string(29, '['), "*a",
                         std::string(29, ']'), "\n");
  EXPECT_EQ(parse_error(deep), "t.yaml:2:33: nesting deeper than 64 levels (through alias '*a')");
}

// Whatever the bytes, parsing returns a tree or throws forge::Error: no crash, hang or other
// exception.
TEST(ParseYaml, SurvivesRandomInput) {
  const std::string seed_text =
      "stage: data\ninput: {plugin: text_files, paths: ['a/*', \"b\"]}\nsteps:\n"
      "  - &s {plugin: length, min_chars: 5}\n  - *s\nlist: [1, [2, {x: y}]]\nblock: |\n  text\n";
  const std::string alphabet = "[]{}:,-?&*!|>'\"#%@` \n\t\\ax1.";
  std::mt19937 random(1234);
  for (int round = 0; round < 3000; ++round) {
    std::string text = seed_text;
    int edits = 1 + static_cast<int>(random() % 8);
    for (int e = 0; e < edits; ++e) {
      std::size_t at = random() % (text.size() + 1);
      char c =
          round % 5 == 0 ? static_cast<char>(random() % 256) : alphabet[random() % alphabet.size()];
      if (random() % 2 && at < text.size())
        text[at] = c;
      else
        text.insert(at, 1, c);
    }
    try {
      parse_yaml(text, "fuzz.yaml");
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()).rfind("fuzz.yaml", 0), 0u) << e.what();
    }
  }
}

}  // namespace
}  // namespace forge
