#pragma once

#include <forge/random.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace forge {

// The unit of the data pipeline. `metadata` is a JSON object that steps may add to.
struct Document {
  std::string id;
  std::string text;
  std::string url;
  nlohmann::json metadata = nlohmann::json::object();
};

// A fraction in [0, 1) that depends on a document's id alone, for splits (validation,
// held-out text) that ignore order, threads and task boundaries: FNV-1a over the id, then
// splitmix64 so that similar ids land far apart, top 53 bits.
inline double id_fraction(std::string_view id) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : id) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return static_cast<double>(mix64(hash) >> 11) * 0x1.0p-53;
}

}  // namespace forge
