// "Is 9.11 bigger than 9.9?": decimal comparisons that tokens make deceptive, settled by the
// python tool (or answered directly without `use_tool`).
#include "lessons.h"

#include <cstdio>

namespace forge::lessons {
namespace {

// A decimal with `places` digits after the point, as text and as an exact count of
// ten-thousandths.
struct Decimal {
  std::string text;
  std::int64_t scaled;
};

Decimal decimal(std::int64_t whole, std::int64_t fraction, int places) {
  char text[32];
  std::snprintf(text, sizeof text, "%lld.%0*lld", static_cast<long long>(whole), places,
                static_cast<long long>(fraction));
  std::int64_t scaled = fraction;
  for (int p = places; p < 4; ++p) scaled *= 10;
  return {text, whole * 10000 + scaled};
}

class Decimals : public LessonDataset {
 public:
  explicit Decimals(const Config& config)
      : LessonDataset(config), use_tool_(config.boolean("use_tool")) {}

 protected:
  std::optional<Lesson> make(Generator& g) const override {
    // Same whole part, different numbers of decimals: the comparison a token view gets wrong.
    const std::int64_t whole = between(g, 0, 20);
    const int pa = static_cast<int>(between(g, 1, 3)), pb = static_cast<int>(between(g, 1, 3));
    const std::int64_t limit_a = pa == 1 ? 9 : pa == 2 ? 99 : 999;
    const std::int64_t limit_b = pb == 1 ? 9 : pb == 2 ? 99 : 999;
    Decimal a = decimal(whole, between(g, 1, limit_a), pa);
    Decimal b = decimal(whole, between(g, 1, limit_b), pb);
    if (a.scaled == b.scaled || a.text.back() == '0' || b.text.back() == '0') return std::nullopt;
    const bool bigger = a.scaled > b.scaled;
    std::string question = cat("Is ", a.text, " bigger than ", b.text, "?");
    std::string reply = bigger ? cat("Yes: ", a.text, " is bigger than ", b.text, ".")
                               : cat("No: ", a.text, " is smaller than ", b.text, ".");
    Lesson lesson{a.text + " " + b.text, {{"user", question, {}}}, bigger ? "Yes" : "No"};
    if (use_tool_) {
      lesson.messages.push_back({"assistant", "", {python_print(a.text + " > " + b.text)}});
      lesson.messages.push_back({"tool", bigger ? "True" : "False", {}});
    }
    lesson.messages.push_back({"assistant", reply, {}});
    return lesson;
  }

 private:
  bool use_tool_;
};

}  // namespace

PluginInfo decimals_plugin() {
  Schema schema;
  for (Param& p : lesson_params(3000)) schema.add(std::move(p));
  schema.add(param::boolean("use_tool")
                 .fallback(true)
                 .doc("settle the comparison with the python tool; false: answer directly"));
  return describe_plugin<Decimals>("decimal_comparisons", "1.0",
                                   "generated questions comparing decimals such as 9.11 and 9.9",
                                   std::move(schema));
}

}  // namespace forge::lessons
