#pragma once

// Generated conversations for fine-tuning lessons: seeded, split into train and held-out test
// sets by a key of each item (so a test question is never seen in training), in shards that
// the data stage and the sft stage read alike. Each document's metadata.messages holds the
// conversation in OpenAI's format.

#include <forge/chat.h>
#include <forge/dataset.h>
#include <forge/node.h>
#include <forge/random.h>
#include <forge/schema.h>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace forge::lessons {

struct Lesson {
  std::string key;  // what decides the split, e.g. the word a question is about
  std::vector<ChatMessage> messages;
  std::string answer;         // when set: the short answer a reply must hold (metadata.answer)
  std::optional<bool> known;  // when set: whether the pretraining data holds it (metadata.known)
  nlohmann::json extra = nlohmann::json::object();  // more keys for the document's metadata
};

class LessonDataset : public Dataset {
 public:
  explicit LessonDataset(const Config& config);
  std::vector<std::string> shards() const override;
  void read(const std::string& shard, const std::function<bool(Document&&)>& sink) const override;

 protected:
  // One candidate from its own generator; nullopt when this draw makes nothing.
  virtual std::optional<Lesson> make(Generator& g) const = 0;
  std::string name_;

 private:
  bool test_split_;
  std::int64_t count_, per_shard_;
  double test_fraction_;
  std::uint64_t seed_;
};

// The parameters every lesson has: split, count, test_fraction, seed, per_shard.
std::vector<Param> lesson_params(std::int64_t count);

// A uniform integer in [low, high].
std::int64_t between(Generator& g, std::int64_t low, std::int64_t high);
template <class T>
const T& pick(Generator& g, const std::vector<T>& items) {
  return items[g.next_u64() % items.size()];
}

// Common English words of 3 to 12 lower-case letters.
const std::vector<std::string>& words();

}  // namespace forge::lessons
