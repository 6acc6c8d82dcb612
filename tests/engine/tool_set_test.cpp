// Tools from a `tools:` list: made by their plugins, called by their names, validated with
// located errors.
#include "engine/tool_set.h"
#include "recipe/recipe.h"
#include "support/test_support.h"

#include <gtest/gtest.h>

namespace forge {
namespace {

std::string error_of(const std::string& yaml) {
  try {
    ToolSet::from_node(parse_yaml(yaml, "tools.yaml"), test::plugins());
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(ToolSet, MakesEachListedToolUnderItsPluginsName) {
  ToolSet tools = ToolSet::from_node(
      parse_yaml("[{plugin: calculator, digits: 3}, {plugin: python}]", "tools.yaml"),
      test::plugins());
  EXPECT_EQ(tools.names(), (std::vector<std::string>{"calculator", "python"}));
  const Tool* calculator = tools.tools().at("calculator");
  EXPECT_EQ(calculator->run("2 / 3", ToolLimits{}).output, "2/3 ≈ 0.667")
      << "the section's own settings reach the tool";
}

TEST(ToolSet, ReportsUnknownPluginsBadSettingsAndDuplicates) {
  EXPECT_NE(error_of("[{plugin: calculater}]").find("did you mean 'calculator'?"),
            std::string::npos)
      << error_of("[{plugin: calculater}]");
  EXPECT_NE(error_of("[{plugin: calculator, digit: 3}]").find("tools[0]"), std::string::npos)
      << error_of("[{plugin: calculator, digit: 3}]");
  EXPECT_NE(error_of("[{plugin: calculator}, {plugin: calculator}]")
                .find("the tool 'calculator' is listed twice"),
            std::string::npos);
}

}  // namespace
}  // namespace forge
