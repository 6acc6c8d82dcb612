// Tool `search`: BM25 over JSON Lines documents (plain and gzip), split into passages; the
// best passages come back with their document's id and url, the same way every time.
#include <forge/files.h>
#include <forge/tool.h>

#include "support/test_support.h"

#include <gtest/gtest.h>

namespace forge {
namespace {

std::filesystem::path corpus() {
  static const auto dir = [] {
    auto d = test::temp_dir("search-tool");
    test::write_text(
        d / "a.jsonl",
        "{\"id\": \"bees\", \"url\": \"https://example.org/bees\", \"text\": \"Honey bees live in "
        "hives.\\n\\nA queen bee lays the eggs of the hive.\"}\n"
        "{\"id\": \"moon\", \"text\": \"The moon circles the earth every month.\"}\n");
    AtomicFileWriter gz(d / "b.jsonl.gz", true);
    gz.write("{\"id\": 7, \"text\": \"Volcanoes erupt lava. Lava cools into basalt rock.\"}\n");
    gz.commit();
    return d;
  }();
  return dir;
}

std::unique_ptr<Tool> search_tool(const std::string& extra = "") {
  return test::make_plugin<Tool>("{plugin: search, paths: ['" + (corpus() / "*.jsonl*").string() +
                                 "']" + extra + "}");
}

TEST(SearchTool, ReturnsTheBestPassagesWithTheirDocuments) {
  auto tool = search_tool(", k: 2, passage_words: 10");
  ToolResult result = tool->run("queen bee or bees", ToolLimits{});
  EXPECT_FALSE(result.failed);
  // passage_words 10 keeps the bee document's two paragraphs apart: the queen's ranks first.
  EXPECT_EQ(result.output.rfind("[1] bees (https://example.org/bees)\nA queen bee lays the eggs "
                                "of the hive.\n\n[2] bees (https://example.org/bees)\nHoney bees",
                                0),
            0u)
      << result.output;
  EXPECT_EQ(tool->run("queen bee or bees", ToolLimits{}).output, result.output) << "deterministic";
}

TEST(SearchTool, ReadsGzipDocumentsAndNumericIds) {
  auto tool = search_tool();
  ToolResult result = tool->run("BASALT lava", ToolLimits{});
  EXPECT_EQ(result.output, "[1] 7\nVolcanoes erupt lava. Lava cools into basalt rock.");
}

TEST(SearchTool, JoinsParagraphsIntoPassagesUpToTheWordLimit) {
  auto tool = search_tool(", k: 5");
  ToolResult result = tool->run("hive", ToolLimits{});
  EXPECT_EQ(result.output,
            "[1] bees (https://example.org/bees)\nHoney bees live in hives.\n\nA "
            "queen bee lays the eggs of the hive.");
}

TEST(SearchTool, NoMatchAndEmptyQueries) {
  auto tool = search_tool();
  EXPECT_EQ(tool->run("submarine", ToolLimits{}).output, "no passage matches the query");
  ToolResult empty = tool->run("  ?! ", ToolLimits{});
  EXPECT_TRUE(empty.failed);
  EXPECT_NE(empty.message.find("the query has no words"), std::string::npos);
}

TEST(SearchTool, RefusesFilesWithoutText) {
  auto dir = test::temp_dir("search-tool-bad");
  test::write_text(dir / "bad.jsonl", "{\"id\": 1, \"body\": \"x\"}\n");
  try {
    test::make_plugin<Tool>("{plugin: search, paths: ['" + (dir / "bad.jsonl").string() + "']}");
    FAIL() << "a document without text must be refused";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.jsonl:1: the document has no string 'text' field"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace forge
