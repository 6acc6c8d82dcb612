#pragma once

// A seeded walk over a training set's items: every pass visits each item once, in an order of
// its own drawn from the seed and the pass alone, so a run that resumes at any position sees
// the items it would have seen.

#include <forge/export.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace forge {

class FORGE_API ShuffledOrder {
 public:
  ShuffledOrder(std::size_t count, std::uint64_t seed) : count_(count), seed_(seed) {}
  // The item at `position` of the walk (pass position / count).
  std::size_t at(std::uint64_t position);

 private:
  std::size_t count_;
  std::uint64_t seed_;
  std::vector<std::size_t> order_;
  std::uint64_t pass_ = 0;
};

}  // namespace forge
