#include "stages/data/data_stats.h"

#include <forge/error.h>

#include <cstdio>

namespace forge {
namespace {

nlohmann::json step_json(const StepStats& s) {
  return {{"name", s.name},         {"in", s.in},
          {"kept", s.kept},         {"rewritten", s.rewritten},
          {"dropped", s.dropped},   {"dropped_total", s.dropped_total()},
          {"bytes_in", s.bytes_in}, {"bytes_out", s.bytes_out},
          {"seconds", s.seconds}};
}

StepStats step_from_json(const nlohmann::json& j) {
  StepStats s;
  s.name = j.at("name").get<std::string>();
  s.in = j.at("in").get<std::uint64_t>();
  s.kept = j.at("kept").get<std::uint64_t>();
  s.rewritten = j.at("rewritten").get<std::uint64_t>();
  s.dropped = j.at("dropped").get<std::map<std::string, std::uint64_t>>();
  s.bytes_in = j.at("bytes_in").get<std::uint64_t>();
  s.bytes_out = j.at("bytes_out").get<std::uint64_t>();
  s.seconds = j.at("seconds").get<double>();
  return s;
}

}  // namespace

std::uint64_t StepStats::dropped_total() const {
  std::uint64_t total = 0;
  for (const auto& [reason, count] : dropped) total += count;
  return total;
}

void StepStats::add(const StepStats& other) {
  if (name.empty()) name = other.name;
  in += other.in;
  kept += other.kept;
  rewritten += other.rewritten;
  bytes_in += other.bytes_in;
  bytes_out += other.bytes_out;
  seconds += other.seconds;
  for (const auto& [reason, count] : other.dropped) dropped[reason] += count;
}

void DataStats::add(const DataStats& other) {
  read.add(other.read);
  write.add(other.write);
  if (steps.size() < other.steps.size()) steps.resize(other.steps.size());
  for (std::size_t i = 0; i < other.steps.size(); ++i) steps[i].add(other.steps[i]);
  seconds += other.seconds;
}

nlohmann::json DataStats::to_json() const {
  nlohmann::json out{{"read", step_json(read)},
                     {"steps", nlohmann::json::array()},
                     {"write", step_json(write)},
                     {"seconds", seconds}};
  for (const auto& step : steps) out["steps"].push_back(step_json(step));
  return out;
}

DataStats DataStats::from_json(const nlohmann::json& json) {
  DataStats stats;
  stats.read = step_from_json(json.at("read"));
  stats.write = step_from_json(json.at("write"));
  for (const auto& step : json.at("steps")) stats.steps.push_back(step_from_json(step));
  stats.seconds = json.at("seconds").get<double>();
  return stats;
}

std::string DataStats::summary() const {
  // Columns are fixed-width; the drop reasons follow untruncated, however many a step has.
  std::string out;
  char line[160];
  std::snprintf(line, sizeof line, "%-28s %12s %12s %12s %10s %14s", "step", "in", "kept",
                "dropped", "MB out", "docs/s/core");
  out += std::string(line) + "  drop reasons\n";
  auto row = [&](const StepStats& s) {
    const double rate = s.seconds > 0 ? static_cast<double>(s.in) / s.seconds : 0.0;
    std::snprintf(line, sizeof line, "%-28s %12llu %12llu %12llu %10.2f %14.0f", s.name.c_str(),
                  static_cast<unsigned long long>(s.in), static_cast<unsigned long long>(s.kept),
                  static_cast<unsigned long long>(s.dropped_total()), s.bytes_out / 1e6, rate);
    std::string reasons;
    for (const auto& [reason, count] : s.dropped)
      reasons += (reasons.empty() ? "  " : ", ") + reason + " " + std::to_string(count);
    out += line + reasons + "\n";
  };
  row(read);
  for (const auto& step : steps) row(step);
  row(write);
  const double per_core = seconds > 0 ? static_cast<double>(read.kept) / seconds : 0.0;
  std::snprintf(line, sizeof line,
                "all steps: %llu documents in %.1f core-seconds, %.0f documents per second per "
                "core\n",
                static_cast<unsigned long long>(read.kept), seconds, per_core);
  out += line;
  return out;
}

}  // namespace forge
