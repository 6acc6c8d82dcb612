// Tool `calculator`: exact arithmetic on arbitrarily large integers and decimals. The model's
// expression is parsed by a small grammar, never executed.
#include <forge/tool.h>

#include "expression.h"

namespace forge {
namespace {

class Calculator : public Tool {
 public:
  explicit Calculator(const Config& config)
      : digits_(static_cast<int>(config.integer("digits"))),
        max_digits_(static_cast<std::size_t>(config.integer("max_digits"))) {}

  ToolResult run(const std::string& arguments, const ToolLimits& limits) const override {
    try {
      mpq_class value = calculator::evaluate(arguments, max_digits_);
      return ToolResult::ok(
          truncate_output(calculator::format_value(value, digits_), limits.output_chars));
    } catch (const calculator::CalcError& e) {
      return ToolResult::error(
          truncate_output(std::string("error: ") + e.what(), limits.output_chars));
    }
  }

 private:
  int digits_;
  std::size_t max_digits_;
};

std::vector<PluginInfo> plugins() {
  Schema schema{param::integer("digits").fallback(30).range(0, 1000).doc(
                    "digits after the point for a fraction with no exact decimal (1/3)"),
                param::integer("max_digits")
                    .fallback(10000)
                    .range(10, 1000000)
                    .doc("largest result, in digits; bigger results (and powers) are refused")};
  return {describe_plugin<Calculator>(
      "calculator", "1.0",
      "Exact arithmetic: + - * / // % ** ( ) on big integers and decimals; no code runs", schema)};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
