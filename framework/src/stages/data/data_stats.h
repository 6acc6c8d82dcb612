#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace forge {

// What one data step did to the documents that reached it.
struct StepStats {
  std::string name;  // e.g. "steps[0] length"
  std::uint64_t in = 0, kept = 0, rewritten = 0, bytes_in = 0, bytes_out = 0;
  std::map<std::string, std::uint64_t> dropped;  // by reason
  double seconds = 0;

  std::uint64_t dropped_total() const;
  void add(const StepStats& other);
};

// One task's (or a whole run's) counts: the reader, each step in order, and the writer.
struct DataStats {
  StepStats read, write;
  std::vector<StepStats> steps;
  double seconds = 0;

  void add(const DataStats& other);
  nlohmann::json to_json() const;
  static DataStats from_json(const nlohmann::json& json);
  // A table for the log: one row per step with in, kept, dropped and the reasons.
  std::string summary() const;
};

}  // namespace forge
