#include "stages/rl/rl_report.h"

#include <forge/files.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <string>

namespace forge {
namespace {

std::string number(const nlohmann::json& record, const char* key, const char* format) {
  if (!record.contains(key) || !record[key].is_number()) return "";
  char text[64];
  std::snprintf(text, sizeof text, format, record[key].get<double>());
  return text;
}

}  // namespace

void write_rl_report(const std::filesystem::path& run_dir) {
  std::ifstream in(run_dir / "metrics.jsonl");
  nlohmann::json evals = nlohmann::json::array(), steps = nlohmann::json::array();
  for (std::string line; std::getline(in, line);) {
    nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
    if (record.is_discarded()) continue;
    if (record.contains("pass@1")) evals.push_back(record);
    if (record.contains("reward"))
      steps.push_back({{"step", record["step"]},
                       {"reward", record["reward"]},
                       {"correct", record["correct"]},
                       {"response_tokens", record["response_tokens"]}});
  }
  nlohmann::json report = {{"evaluations", evals}, {"steps", steps}};
  if (!evals.empty()) {
    report["before"] = evals.front();
    report["after"] = evals.back();
  }
  write_file_atomic(run_dir / "report.json", report.dump(2) + "\n");

  std::string md = "# RL run report\n\n";
  if (!evals.empty()) {
    md +=
        "Held-out evaluation (pass@1 is the mean share of correct samples; greedy is one "
        "greedy reply per problem):\n\n| step | pass@1 | greedy pass@1 | response tokens | "
        "elapsed s |\n| --- | --- | --- | --- | --- |\n";
    for (const nlohmann::json& e : evals)
      md += "| " + std::to_string(e["step"].get<long long>()) + " | " +
            number(e, "pass@1", "%.3f") + " | " + number(e, "greedy_pass@1", "%.3f") + " | " +
            number(e, "eval_response_tokens", "%.1f") + " | " + number(e, "elapsed_s", "%.0f") +
            " |\n";
  }
  md +=
      "\nTraining samples per step:\n\n| step | mean reward | correct | response tokens |\n"
      "| --- | --- | --- | --- |\n";
  for (const nlohmann::json& s : steps)
    md += "| " + std::to_string(s["step"].get<long long>()) + " | " + number(s, "reward", "%.3f") +
          " | " + number(s, "correct", "%.3f") + " | " + number(s, "response_tokens", "%.1f") +
          " |\n";
  write_file_atomic(run_dir / "report.md", md);
}

}  // namespace forge
