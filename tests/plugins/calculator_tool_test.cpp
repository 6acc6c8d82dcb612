// Tool `calculator`: exact big-number arithmetic, Python's precedence, decimals that terminate
// written exactly, others as fractions, and errors that point at the mistake.
#include <forge/tool.h>

#include "support/test_support.h"

#include <gtest/gtest.h>

namespace forge {
namespace {

std::string calc(const std::string& expression, const std::string& yaml = "{plugin: calculator}") {
  static auto tool = test::make_plugin<Tool>("{plugin: calculator}");
  std::unique_ptr<Tool> other;
  const Tool* use = tool.get();
  if (yaml != "{plugin: calculator}") {
    other = test::make_plugin<Tool>(yaml);
    use = other.get();
  }
  ToolResult result = use->run(expression, ToolLimits{10, 1000000});
  return (result.failed ? "FAILED " : "") + tool_result_text(result);
}

TEST(CalculatorTool, BigIntegersAreExact) {
  EXPECT_EQ(calc("2**100"), "1267650600228229401496703205376");
  EXPECT_EQ(calc("123456789012345678901234567890 * 987654321098765432109876543210"),
            "121932631137021795226185032733622923332237463801111263526900");
  EXPECT_EQ(calc("(10**30 + 1) - 10**30"), "1");
}

TEST(CalculatorTool, FollowsPythonsPrecedence) {
  EXPECT_EQ(calc("2 + 3 * 4"), "14");
  EXPECT_EQ(calc("(2 + 3) * 4"), "20");
  EXPECT_EQ(calc("-2**2"), "-4");
  EXPECT_EQ(calc("2**3**2"), "512");
  EXPECT_EQ(calc("2**-2"), "0.25");
  EXPECT_EQ(calc("--3"), "3");
  EXPECT_EQ(calc("-7 % 3"), "2");
  EXPECT_EQ(calc("7 % -3"), "-2");
  EXPECT_EQ(calc("-7 // 2"), "-4");
  EXPECT_EQ(calc("1_000 * 3"), "3000");
}

TEST(CalculatorTool, DecimalsAreExactWhereTheyTerminate) {
  EXPECT_EQ(calc("0.1 + 0.2"), "0.3");
  EXPECT_EQ(calc("1 / 8"), "0.125");
  EXPECT_EQ(calc("-3 / 4"), "-0.75");
  EXPECT_EQ(calc("1.5e3 / 7.5"), "200");
  EXPECT_EQ(calc("2.50 * 4"), "10");
  EXPECT_EQ(calc("1 / 3"), "1/3 ≈ 0.333333333333333333333333333333");
  EXPECT_EQ(calc("-2 / 3", "{plugin: calculator, digits: 5}"), "-2/3 ≈ -0.66667");
}

TEST(CalculatorTool, BadExpressionsSayWhatAndWhere) {
  EXPECT_EQ(calc("1 / 0").rfind("FAILED error: division by zero (at character 3)\n1 / 0\n  ^", 0),
            0u)
      << calc("1 / 0");
  EXPECT_NE(calc("2 + * 3").find("expected a number or '(' here, not '*' (at character 5)"),
            std::string::npos);
  EXPECT_NE(calc("(1 + 2").find("this '(' is never closed"), std::string::npos);
  EXPECT_NE(calc("1 + 2)").find("this ')' has no '(' before it"), std::string::npos);
  EXPECT_NE(calc("2 ^ 10").find("write 2 ** 10"), std::string::npos);
  EXPECT_NE(calc("__import__('os')").find("names and functions are not supported"),
            std::string::npos);
  EXPECT_NE(calc("").find("the expression is empty"), std::string::npos);
  EXPECT_NE(calc("2 ** 0.5").find("the exponent must be an integer"), std::string::npos);
  EXPECT_NE(calc("0 ** -1").find("division by zero"), std::string::npos);
}

TEST(CalculatorTool, RefusesResultsPastItsDigitLimit) {
  EXPECT_NE(calc("10 ** 10 ** 10").find("FAILED error: the power has more than 10000 digits"),
            std::string::npos)
      << calc("10 ** 10 ** 10");
  EXPECT_EQ(calc("10 ** 9999").size(), 10000u);
  EXPECT_NE(calc("10**9999 * 10**9999").find("more than 10000 digits"), std::string::npos);
  EXPECT_EQ(calc("(-1) ** (10 ** 50)"), "1");
}

TEST(CalculatorTool, CutsLongOutputAtTheCallersLimit) {
  auto tool = test::make_plugin<Tool>("{plugin: calculator}");
  ToolResult result = tool->run("10 ** 500", ToolLimits{10, 100});
  EXPECT_FALSE(result.failed);
  EXPECT_EQ(result.output.substr(0, 100), "1" + std::string(99, '0'));
  EXPECT_NE(result.output.find("[output truncated: 401 more characters]"), std::string::npos)
      << result.output;
}

}  // namespace
}  // namespace forge
