#pragma once

#include <forge/export.h>

#include <cstdint>

namespace forge {

// A counter-based generator: draw i of stream `seed` depends on (seed, i) alone, so its whole
// state is two integers, saved in checkpoints and restored exactly.
class FORGE_API Generator {
 public:
  explicit Generator(std::uint64_t seed = 0) : seed_(seed) {}
  std::uint64_t next_u64();
  double uniform();  // [0, 1)
  double normal();   // standard normal (Box-Muller on two uniforms)
  std::uint64_t seed() const { return seed_; }
  std::uint64_t position() const { return position_; }
  void seek(std::uint64_t position) { position_ = position; }

 private:
  std::uint64_t seed_;
  std::uint64_t position_ = 0;
};

// splitmix64: a good 64-bit mix of one integer.
FORGE_API std::uint64_t mix64(std::uint64_t x);

}  // namespace forge
