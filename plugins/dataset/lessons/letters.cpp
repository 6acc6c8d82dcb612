// Character-level questions a model that reads tokens cannot answer by looking: how often a
// letter occurs, every n-th letter, a word backwards. With `use_tool` the assistant asks the
// python tool, whose printed result the conversation contains exactly; without, it answers
// directly (the comparison run).
#include "lessons.h"

#include <algorithm>

namespace forge::lessons {
namespace {

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

std::string ordinal(std::int64_t n) {
  const char* suffix = n == 1 ? "st" : n == 2 ? "nd" : n == 3 ? "rd" : "th";
  return std::to_string(n) + suffix;
}

class Letters : public LessonDataset {
 public:
  explicit Letters(const Config& config)
      : LessonDataset(config),
        use_tool_(config.boolean("use_tool")),
        random_words_(config.number("random_words")) {
    static const std::vector<std::string> kKinds = {"count", "every", "backwards"};
    for (const std::string& kind : config.strings("kinds")) {
      auto at = std::find(kKinds.begin(), kKinds.end(), kind);
      if (at == kKinds.end())
        config.fail("kinds", cat("'", kind, "' is not a kind; kinds are count, every, backwards"));
      kinds_.push_back(static_cast<int>(at - kKinds.begin()));
    }
    if (kinds_.empty()) config.fail("kinds", "needs at least one kind");
  }

 protected:
  std::optional<Lesson> make(Generator& g) const override {
    // Random letter strings make the model copy what it is asked about rather than recall
    // the words it has seen.
    std::string word;
    if (g.uniform() < random_words_) {
      for (std::int64_t n = between(g, 3, 10); n > 0; --n)
        word += static_cast<char>('a' + g.next_u64() % 26);
    } else {
      word = pick(g, words());
    }
    std::string question, code, result, reply;
    switch (pick(g, kinds_)) {
      case 0: {
        // Mostly letters of the word, sometimes one it lacks (the answer is then 0).
        const char letter = g.next_u64() % 5 ? word[g.next_u64() % word.size()]
                                             : static_cast<char>('a' + g.next_u64() % 26);
        const auto count = std::count(word.begin(), word.end(), letter);
        const std::string l(1, letter);
        question = cat("How many times does the letter '", l, "' appear in ", quoted(word), "?");
        code = cat(quoted(word), ".count(", quoted(l), ")");
        result = std::to_string(count);
        reply = cat("The letter '", l, "' appears ", count, count == 1 ? " time" : " times", " in ",
                    quoted(word), ".");
        break;
      }
      case 1: {
        const std::int64_t n = between(g, 2, 3);
        std::string every;
        for (std::size_t i = static_cast<std::size_t>(n - 1); i < word.size();
             i += static_cast<std::size_t>(n))
          every += word[i];
        if (every.empty()) return std::nullopt;
        question =
            cat("What do you get taking every ", ordinal(n), " letter of ", quoted(word), "?");
        code = cat(quoted(word), "[", n - 1, "::", n, "]");
        result = every;
        reply =
            cat("Every ", ordinal(n), " letter of ", quoted(word), " gives ", quoted(every), ".");
        break;
      }
      default: {
        std::string backwards(word.rbegin(), word.rend());
        question = cat("Spell ", quoted(word), " backwards.");
        code = cat(quoted(word), "[::-1]");
        result = backwards;
        reply = cat(quoted(word), " backwards is ", quoted(backwards), ".");
      }
    }
    Lesson lesson{word, {{"user", question, {}}}, result};
    if (use_tool_) {
      lesson.messages.push_back({"assistant", "", {python_print(code)}});
      lesson.messages.push_back({"tool", result, {}});
    }
    lesson.messages.push_back({"assistant", reply, {}});
    return lesson;
  }

 private:
  bool use_tool_;
  double random_words_;
  std::vector<int> kinds_;
};

}  // namespace

PluginInfo letters_plugin() {
  Schema schema;
  for (Param& p : lesson_params(5000)) schema.add(std::move(p));
  schema.add(param::boolean("use_tool")
                 .fallback(true)
                 .doc("answer through the python tool; false: answer directly"));
  schema.add(param::number("random_words")
                 .fallback(0.0)
                 .range(0.0, 1.0)
                 .doc("share of questions about random letter strings instead of words"));
  schema.add(param::string_list("kinds")
                 .fallback(std::vector<std::string>{"count", "every", "backwards"})
                 .doc("question kinds: count (a letter's occurrences), every (every n-th letter), "
                      "backwards"));
  return describe_plugin<Letters>(
      "letter_questions", "1.0",
      "generated letter-counting, every-n-th-letter and backwards-spelling questions; held-out "
      "words for the test split",
      std::move(schema));
}

}  // namespace forge::lessons
