#include "sweep/sweep_plan.h"

#include <forge/error.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <numeric>

namespace forge {
namespace {

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::string last_part(const std::string& key) {
  std::size_t dot = key.rfind('.');
  return dot == std::string::npos ? key : key.substr(dot + 1);
}

std::string folder_safe(const std::string& text) {
  std::string out;
  for (char c : text) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) ||
              std::string("._+-=@,").find(c) != std::string::npos;
    out += ok ? c : '_';
  }
  return out;
}

}  // namespace

std::vector<std::string> PlannedRun::overrides() const {
  std::vector<std::string> out;
  for (const auto& [key, value] : values) out.push_back(key + "=" + value);
  return out;
}

std::vector<std::string> split_values(const std::string& list) {
  std::vector<std::string> values;
  std::string current;
  int depth = 0;
  char quote = 0;
  for (char c : list) {
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if (c == ']' || c == '}') {
      --depth;
    } else if (c == ',' && depth == 0) {
      values.push_back(current);
      current.clear();
      continue;
    }
    current += c;
  }
  values.push_back(current);
  return values;
}

SweepSpace parse_sweep_space(const std::vector<std::string>& overrides) {
  SweepSpace space;
  for (const std::string& text : overrides) {
    if (!text.empty() && text[0] == '~') {
      space.fixed.push_back(text);
      continue;
    }
    std::size_t eq = text.find('=');
    if (eq == std::string::npos || eq == 0)
      throw Error(cat("sweep override '", text, "' is not key=value or key=a,b,c; write e.g. ",
                      "optimizer.lr=1e-3,3e-3"));
    std::string key = text.substr(0, eq);
    std::vector<std::string> values = split_values(text.substr(eq + 1));
    for (const std::string& value : values)
      if (value.find_first_not_of(" \t") == std::string::npos)
        throw Error(cat("sweep override '", text, "' has an empty value; list values separated ",
                        "by single commas, e.g. ", key, "=1,2"));
    for (const SweepAxis& axis : space.axes)
      if (axis.key == key)
        throw Error(cat("sweep key '", key,
                        "' is given twice; put all its values in one list: ", key, "=a,b,c"));
    if (values.size() == 1)
      space.fixed.push_back(text);
    else
      space.axes.push_back({key, values});
  }
  return space;
}

std::vector<Assignment> grid(const std::vector<SweepAxis>& axes) {
  std::vector<Assignment> out = {{}};
  for (const SweepAxis& axis : axes) {
    std::vector<Assignment> next;
    for (const Assignment& partial : out)
      for (const std::string& value : axis.values) {
        Assignment a = partial;
        a.emplace_back(axis.key, value);
        next.push_back(std::move(a));
      }
    out = std::move(next);
  }
  return out;
}

std::vector<Assignment> sample_grid(const std::vector<SweepAxis>& axes, std::size_t count,
                                    std::uint64_t seed) {
  std::vector<Assignment> all = grid(axes);
  if (count >= all.size()) return all;
  // A partial Fisher-Yates shuffle of the indices, with a generator that is the same everywhere.
  std::vector<std::size_t> order(all.size());
  std::iota(order.begin(), order.end(), 0);
  std::uint64_t state = seed;
  for (std::size_t i = 0; i < count; ++i)
    std::swap(order[i], order[i + splitmix64(state) % (all.size() - i)]);
  order.resize(count);
  std::sort(order.begin(), order.end());
  std::vector<Assignment> out;
  for (std::size_t i : order) out.push_back(all[i]);
  return out;
}

std::vector<Assignment> with_seeds(const std::vector<Assignment>& combinations, int seeds) {
  if (seeds <= 0) return combinations;
  std::vector<Assignment> out;
  for (const Assignment& a : combinations)
    for (int seed = 1; seed <= seeds; ++seed) {
      Assignment b = a;
      b.emplace_back("seed", std::to_string(seed));
      out.push_back(std::move(b));
    }
  return out;
}

std::string run_name(const Assignment& values) {
  std::map<std::string, int> uses;
  for (const auto& [key, value] : values) ++uses[last_part(key)];
  std::string name;
  for (const auto& [key, value] : values) {
    std::string shown = uses[last_part(key)] > 1 ? key : last_part(key);
    name += (name.empty() ? "" : ",") + shown + "=" + value;
  }
  if (name.empty()) name = "base";
  std::string safe = folder_safe(name);
  return safe.size() > 200 ? safe.substr(0, 200) : safe;
}

std::vector<PlannedRun> plan_runs(const std::vector<Assignment>& combinations) {
  std::vector<PlannedRun> runs;
  std::map<std::string, int> seen;
  for (const Assignment& a : combinations) {
    std::string name = run_name(a);
    // Values that differ only in unsafe characters would share a folder.
    if (int n = seen[name]++) name += cat("-", n + 1);
    runs.push_back({name, a});
  }
  return runs;
}

nlohmann::json plan_json(const std::string& recipe, const SweepSpace& space,
                         const std::vector<PlannedRun>& runs) {
  nlohmann::json axes = nlohmann::json::array(), list = nlohmann::json::array();
  for (const SweepAxis& axis : space.axes)
    axes.push_back({{"key", axis.key}, {"values", axis.values}});
  for (const PlannedRun& run : runs) {
    nlohmann::json values = nlohmann::json::array();
    for (const auto& [key, value] : run.values) values.push_back({key, value});
    list.push_back({{"name", run.name}, {"values", values}});
  }
  return {{"recipe", recipe}, {"fixed", space.fixed}, {"axes", axes}, {"runs", list}};
}

}  // namespace forge
