// Arithmetic word problems, each with its answer in metadata.answer (for RL's rewards).
// `style: steps` works the answer out one small operation per sentence before stating it, so
// the computation is spread over many tokens; `answer_first` states the answer at once and
// justifies it after, for comparison; `short` asks one operation (a purchase, a gift, a loss)
// in a sentence or two and, with `use_tool`, computes it with the python tool: conversations
// of about 150 bytes, within the tiny byte-level models' context.
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
      : LessonDataset(config),
        style_(config.string("style")),
        use_tool_(config.boolean("use_tool")) {}

 protected:
  std::optional<Lesson> make(Generator& g) const override {
    return style_ == "short" ? make_short(g) : make_change(g);
  }

 private:
  // Two purchases and the change from a round sum.
  std::optional<Lesson> make_change(Generator& g) const {
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
    std::string reply = style_ == "answer_first" ? answer + " " + steps : steps + " " + answer;
    return Lesson{
        question, {{"user", question, {}}, {"assistant", reply, {}}}, std::to_string(change)};
  }

  // One operation: the held-out split never shares its operation and numbers with training.
  std::optional<Lesson> make_short(Generator& g) const {
    const std::string& name = pick(g, kNames);
    const Item& item = pick(g, kItems);
    std::int64_t a = 0, b = 0, result = 0;
    std::string question, op, reply;
    switch (between(g, 0, 2)) {
      case 0:
        a = between(g, 2, 9), b = between(g, 2, 15), result = a * b, op = "*";
        question = cat(name, " buys ", a, " ", item.plural, " at ", money(b),
                       " each. How much does ", name, " pay?");
        reply = cat(name, " pays ", money(result), ".");
        break;
      case 1:
        a = between(g, 2, 40), b = between(g, 2, 40), result = a + b, op = "+";
        question = cat(name, " has ", a, " ", item.plural, " and gets ", b, " more. How many does ",
                       name, " have?");
        reply = cat(name, " has ", result, " ", item.plural, ".");
        break;
      default:
        a = between(g, 10, 60), b = between(g, 2, a - 1), result = a - b, op = "-";
        question =
            cat(name, " has ", a, " ", item.plural, " and gives ", b, " away. How many are left?");
        reply = cat(result, " ", item.plural, " are left.");
    }
    const std::string expression = cat(a, " ", op, " ", b);
    Lesson lesson{cat(op, " ", a, " ", b), {{"user", question, {}}}, std::to_string(result)};
    if (use_tool_) {
      lesson.messages.push_back({"assistant", "", {python_print(expression)}});
      lesson.messages.push_back({"tool", std::to_string(result), {}});
    } else {
      reply = cat(expression, " = ", result, ". ", reply);
    }
    lesson.messages.push_back({"assistant", reply, {}});
    return lesson;
  }

  std::string style_;
  bool use_tool_;
};

}  // namespace

PluginInfo arithmetic_plugin() {
  std::vector<Param> params = lesson_params(5000);
  params.push_back(param::string("style")
                       .fallback("steps")
                       .one_of({"steps", "answer_first", "short"})
                       .doc("steps: work it out, then the answer; answer_first: the answer, "
                            "then the working; short: one operation in a sentence"));
  params.push_back(param::boolean("use_tool")
                       .fallback(true)
                       .doc("style short: compute with the python tool; false: write the sum out"));
  Schema schema;
  for (Param& p : params) schema.add(std::move(p));
  return describe_plugin<Arithmetic>(
      "arithmetic_problems", "1.0",
      "generated word problems with worked answers and answer keys (train/test splits)",
      std::move(schema));
}

}  // namespace forge::lessons
