#pragma once

// What a sweep runs: the overrides' comma lists as axes, their grid (or a seeded random
// sample of it), optionally repeated over seeds, and a name per run derived from its values.

#include <forge/export.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace forge {

struct SweepAxis {
  std::string key;
  std::vector<std::string> values;
};

// The command line's overrides split into axes (key=a,b,c) and overrides every run shares.
struct SweepSpace {
  std::vector<std::string> fixed;  // key=value and ~key, passed to every run as they are
  std::vector<SweepAxis> axes;
};

using Assignment = std::vector<std::pair<std::string, std::string>>;  // key -> value, in order

struct FORGE_API PlannedRun {
  std::string name;  // its folder in the sweep, e.g. "lr=1e-3,n_layer=2"
  Assignment values;
  std::vector<std::string> overrides() const;  // "key=value" for each of `values`
};

// Splits "key=a,b,c" at the commas outside brackets and quotes, so "betas=[0.9,0.95]" is one
// value. Throws, naming the argument, for an empty value, a missing '=' or a repeated key.
FORGE_API SweepSpace parse_sweep_space(const std::vector<std::string>& overrides);
FORGE_API std::vector<std::string> split_values(const std::string& list);

// Every combination, the first axis varying slowest.
FORGE_API std::vector<Assignment> grid(const std::vector<SweepAxis>& axes);
// `count` distinct combinations of the grid drawn with `seed`, in grid order; all of them
// when the grid has no more.
FORGE_API std::vector<Assignment> sample_grid(const std::vector<SweepAxis>& axes, std::size_t count,
                                              std::uint64_t seed);
// Each combination once per seed=1..seeds (seeds 0: unchanged).
FORGE_API std::vector<Assignment> with_seeds(const std::vector<Assignment>& combinations,
                                             int seeds);

// "lr=0.001,n_layer=2": each key's last part (the whole path where two axes share it), values
// made safe for a folder name.
FORGE_API std::string run_name(const Assignment& values);

FORGE_API std::vector<PlannedRun> plan_runs(const std::vector<Assignment>& combinations);

FORGE_API nlohmann::json plan_json(const std::string& recipe, const SweepSpace& space,
                                   const std::vector<PlannedRun>& runs);

}  // namespace forge
