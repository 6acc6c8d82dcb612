// Arithmetic word problems. `style: steps` works the answer out one small operation per
// sentence before stating it, so the computation is spread over many tokens; `answer_first`
// states the answer at once and justifies it after, for comparison.
#include "lessons.h"

namespace forge::lessons {
namespace {

struct Item {
  std::string singular, plural;
};

const std::vector<std::string> kNames = {"Ana",  "Ben",  "Chloe", "David", "Emma", "Farid", "Grace",
                                         "Hugo", "Ines", "Jonas", "Kira",  "Liam", "Maya",  "Noah"};
const std::vector<Item> kItems = {{"apple", "apples"},       {"pencil", "pencils"},
                                  {"notebook", "notebooks"}, {"orange", "oranges"},
                                  {"ticket", "tickets"},     {"sandwich", "sandwiches"},
                                  {"book", "books"},         {"candle", "candles"}};

std::string money(std::int64_t n) { return "$" + std::to_string(n); }

class Arithmetic : public LessonDataset {
 public:
  explicit Arithmetic(const Config& config)
      : LessonDataset(config), answer_first_(config.string("style") == "answer_first") {}

 protected:
  std::optional<Lesson> make(Generator& g) const override {
    const std::string& name = pick(g, kNames);
    const Item& a = pick(g, kItems);
    const Item& b = pick(g, kItems);
    if (a.singular == b.singular) return std::nullopt;
    const std::int64_t na = between(g, 2, 9), pa = between(g, 2, 15);
    const std::int64_t nb = between(g, 2, 9), pb = between(g, 2, 15);
    const std::int64_t paid = (na * pa + nb * pb) / 10 * 10 + 10 * between(g, 1, 5);
    const std::int64_t ca = na * pa, cb = nb * pb, total = ca + cb, change = paid - total;
    std::string question = cat(name, " buys ", na, " ", a.plural, " at ", money(pa), " each and ",
                               nb, " ", b.plural, " at ", money(pb), " each, and pays with ",
                               money(paid), ". How much change does ", name, " get?");
    std::string steps =
        cat("The ", a.plural, " cost ", na, " × ", pa, " = ", ca, ". The ", b.plural, " cost ", nb,
            " × ", pb, " = ", cb, ". Together that is ", ca, " + ", cb, " = ", total,
            ". The change is ", paid, " - ", total, " = ", change, ".");
    std::string answer = cat("The answer is ", money(change), ".");
    std::string reply = answer_first_ ? answer + " " + steps : steps + " " + answer;
    return Lesson{question, {{"user", question, {}}, {"assistant", reply, {}}}};
  }

 private:
  bool answer_first_;
};

}  // namespace

PluginInfo arithmetic_plugin() {
  std::vector<Param> params = lesson_params(5000);
  params.push_back(param::string("style")
                       .fallback("steps")
                       .one_of({"steps", "answer_first"})
                       .doc("steps: work it out, then the answer; answer_first: the answer, "
                            "then the working"));
  Schema schema;
  for (Param& p : params) schema.add(std::move(p));
  return describe_plugin<Arithmetic>(
      "arithmetic_problems", "1.0",
      "generated word problems with worked answers, for fine-tuning (train/test splits)",
      std::move(schema));
}

}  // namespace forge::lessons
