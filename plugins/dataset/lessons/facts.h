#pragma once

// A seeded table of fictional people and their facts, shared by `fact_documents` (text about
// them, for pretraining) and `fact_questions` (questions about them, for knowledge probing):
// the same seed gives the same people. Only people whose `known` draw falls below
// known_fraction get documents, so a model pretrained on them cannot know the others.

#include <forge/random.h>

#include <cstdint>
#include <string>

namespace forge::lessons {

struct Person {
  std::string name, city, profession;
  std::int64_t born = 0;
  bool known = false;  // has documents
};

// Person `index` (< max_people()) of the table for `seed`.
Person person(std::int64_t index, std::uint64_t seed, double known_fraction);
std::int64_t max_people();

}  // namespace forge::lessons
