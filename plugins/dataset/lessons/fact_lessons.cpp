// `fact_documents`: short biographies of the fact table's known people, for pretraining.
// `fact_questions`: questions about any of them (known or not), with the answer in metadata,
// for probing what a model learned and teaching it to say when it does not know.
#include "facts.h"
#include "lessons.h"

#include <forge/document.h>

namespace forge::lessons {
namespace {

std::int64_t people_param(const Config& config) {
  const std::int64_t people = config.integer("people");
  if (people > max_people())
    config.fail("people", cat("the fact table holds at most ", max_people(), " people"));
  return people;
}

class FactDocuments : public Dataset {
 public:
  explicit FactDocuments(const Config& config)
      : people_(people_param(config)),
        known_fraction_(config.number("known_fraction")),
        seed_(static_cast<std::uint64_t>(config.integer("seed"))),
        repeats_(config.integer("repeats")) {}

  std::vector<std::string> shards() const override { return {"fact_documents"}; }

  void read(const std::string&, const std::function<bool(Document&&)>& sink) const override {
    for (std::int64_t r = 0; r < repeats_; ++r)
      for (std::int64_t i = 0; i < people_; ++i) {
        const Person p = person(i, seed_, known_fraction_);
        if (!p.known) continue;
        Document d;
        d.id = cat("fact-", i, "-", r);
        // The facts in a different order and wording each repeat, so they are learned as facts.
        const std::string born = cat(p.name, " was born in ", p.born, " in ", p.city, ".");
        const std::string work = cat(p.name, " worked as a ", p.profession, ".");
        const std::string where = cat("The ", p.profession, " ", p.name, " came from ", p.city,
                                      " and was born in the year ", p.born, ".");
        d.text = r % 3 == 0 ? born + " " + work : r % 3 == 1 ? work + " " + born : where;
        d.metadata["person"] = p.name;
        if (!sink(std::move(d))) return;
      }
  }

 private:
  std::int64_t people_;
  double known_fraction_;
  std::uint64_t seed_;
  std::int64_t repeats_;
};

class FactQuestions : public LessonDataset {
 public:
  explicit FactQuestions(const Config& config)
      : LessonDataset(config),
        people_(people_param(config)),
        known_fraction_(config.number("known_fraction")),
        table_seed_(static_cast<std::uint64_t>(config.integer("table_seed"))) {}

 protected:
  std::optional<Lesson> make(Generator& g) const override {
    const Person p = person(between(g, 0, people_ - 1), table_seed_, known_fraction_);
    std::string question, reply, answer;
    switch (g.next_u64() % 3) {
      case 0:
        question = cat("In which year was ", p.name, " born?");
        answer = std::to_string(p.born);
        reply = cat(p.name, " was born in ", p.born, ".");
        break;
      case 1:
        question = cat("Where was ", p.name, " born?");
        answer = p.city;
        reply = cat(p.name, " was born in ", p.city, ".");
        break;
      default:
        question = cat("What did ", p.name, " work as?");
        answer = p.profession;
        reply = cat(p.name, " worked as a ", p.profession, ".");
    }
    Lesson lesson{question, {{"user", question, {}}, {"assistant", reply, {}}}, answer};
    lesson.known = p.known;
    return lesson;
  }

 private:
  std::int64_t people_;
  double known_fraction_;
  std::uint64_t table_seed_;
};

std::vector<Param> table_params() {
  return {
      param::integer("people").fallback(400).at_least(1).doc("people in the fact table"),
      param::number("known_fraction")
          .fallback(0.5)
          .range(0.0, 1.0)
          .doc("share of the people that fact_documents writes about"),
  };
}

}  // namespace

PluginInfo fact_documents_plugin() {
  Schema schema;
  for (Param& p : table_params()) schema.add(std::move(p));
  schema.add(param::integer("seed").fallback(0).doc("the fact table's seed"));
  schema.add(param::integer("repeats").fallback(6).at_least(1).doc(
      "documents per known person, in varying wording"));
  return describe_plugin<FactDocuments>(
      "fact_documents", "1.0",
      "short biographies of a seeded table of fictional people, for pretraining",
      std::move(schema));
}

PluginInfo fact_questions_plugin() {
  Schema schema;
  for (Param& p : lesson_params(1000)) schema.add(std::move(p));
  for (Param& p : table_params()) schema.add(std::move(p));
  schema.add(param::integer("table_seed")
                 .fallback(0)
                 .doc("the fact table's seed: fact_documents' `seed`"));
  return describe_plugin<FactQuestions>(
      "fact_questions", "1.0",
      "questions about the fact table's people, known to the pretraining data or not; the "
      "answer in metadata.answer",
      std::move(schema));
}

}  // namespace forge::lessons
