#include "lesson_dataset.h"

#include <forge/error.h>

namespace forge::lessons {

LessonDataset::LessonDataset(const Config& config)
    : name_(config.string("plugin")),
      test_split_(config.string("split") == "test"),
      count_(config.integer("count")),
      per_shard_(config.integer("per_shard")),
      test_fraction_(config.number("test_fraction")),
      seed_(static_cast<std::uint64_t>(config.integer("seed"))) {}

std::vector<std::string> LessonDataset::shards() const {
  std::vector<std::string> names;
  for (std::int64_t first = 0; first < count_; first += per_shard_)
    names.push_back(cat(name_, "-", test_split_ ? "test" : "train", "-", first / per_shard_));
  return names;
}

void LessonDataset::read(const std::string& shard,
                         const std::function<bool(Document&&)>& sink) const {
  const std::string index_text = shard.substr(shard.rfind('-') + 1);
  const std::int64_t index = std::stoll(index_text);
  const std::int64_t wanted = std::min(per_shard_, count_ - index * per_shard_);
  // Candidates of shard k come from their own streams, so shards are independent.
  const std::int64_t attempts = 200 * wanted + 1000;
  std::int64_t made = 0;
  for (std::int64_t i = 0; i < attempts && made < wanted; ++i) {
    Generator g(mix64(
        seed_ ^ mix64(static_cast<std::uint64_t>(index) << 32 | static_cast<std::uint64_t>(i))));
    std::optional<Lesson> lesson = make(g);
    if (!lesson) continue;
    const bool in_test = id_fraction(name_ + ":" + lesson->key) < test_fraction_;
    if (in_test != test_split_) continue;
    Document document;
    document.id = cat(shard, "-", made++);
    document.text = chat_transcript(lesson->messages);
    document.metadata["messages"] = chat_to_json(lesson->messages);
    document.metadata["lesson_key"] = lesson->key;
    if (!lesson->answer.empty()) document.metadata["answer"] = lesson->answer;
    if (lesson->known) document.metadata["known"] = *lesson->known;
    document.metadata.update(lesson->extra);
    if (!sink(std::move(document))) return;
  }
  if (made < wanted)
    throw Error(cat(name_, ": shard ", shard, " found only ", made, " of ", wanted,
                    " distinct items for its split; lower count or raise test_fraction"));
}

std::vector<Param> lesson_params(std::int64_t count) {
  return {
      param::string("split")
          .fallback("train")
          .one_of({"train", "test"})
          .doc("train, or the held-out test items (disjoint by each item's key)"),
      param::integer("count").fallback(count).at_least(1).doc("conversations to generate"),
      param::number("test_fraction")
          .fallback(0.1)
          .range(0.0, 1.0)
          .doc("share of item keys held out for the test split"),
      param::integer("seed").fallback(0).doc("generation seed"),
      param::integer("per_shard").fallback(1000).at_least(1).doc("conversations per shard"),
  };
}

std::int64_t between(Generator& g, std::int64_t low, std::int64_t high) {
  return low + static_cast<std::int64_t>(g.next_u64() % static_cast<std::uint64_t>(high - low + 1));
}

}  // namespace forge::lessons
