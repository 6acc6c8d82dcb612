#include "stages/rlhf/rlhf_report.h"

#include <forge/files.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>

namespace forge {
namespace {

std::string number(const nlohmann::json& record, const char* key, const char* format) {
  if (!record.contains(key) || !record[key].is_number()) return "";
  char text[64];
  std::snprintf(text, sizeof text, format, record[key].get<double>());
  return text;
}

}  // namespace

void write_rlhf_report(const std::filesystem::path& run_dir, const std::string& stopped_early) {
  std::ifstream in(run_dir / "metrics.jsonl");
  nlohmann::json evals = nlohmann::json::array();
  for (std::string line; std::getline(in, line);) {
    nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
    if (!record.is_discarded() && record.contains("rm_score")) evals.push_back(record);
  }
  nlohmann::json report = {{"evaluations", evals}};
  if (!stopped_early.empty()) report["stopped_early"] = stopped_early;
  std::size_t best = 0;
  for (std::size_t i = 0; i < evals.size(); ++i)
    if (evals[i]["judge_score"].get<double>() > evals[best]["judge_score"].get<double>()) best = i;
  if (!evals.empty()) {
    report["before"] = evals.front();
    report["after"] = evals.back();
    report["best_judge"] = evals[best];
  }
  write_file_atomic(run_dir / "report.json", report.dump(2) + "\n");

  std::string md = "# RLHF run report\n\n";
  if (!stopped_early.empty()) md += "**Stopped early:** " + stopped_early + ".\n\n";
  md +=
      "Held-out prompts, sampled replies scored by the reward model the run optimises and by the "
      "judge it should please:\n\n| step | reward model | judge | KL | reply tokens | |\n"
      "| --- | --- | --- | --- | --- | --- |\n";
  for (std::size_t i = 0; i < evals.size(); ++i) {
    const nlohmann::json& e = evals[i];
    std::string note = i == best ? "best judge" : "";
    if (e.contains("hacking")) note += std::string(note.empty() ? "" : "; ") + "monitor: hacking";
    md += "| " + std::to_string(e["step"].get<long long>()) + " | " +
          number(e, "rm_score", "%.3f") + " | " + number(e, "judge_score", "%.3f") + " | " +
          number(e, "kl", "%.3f") + " | " + number(e, "eval_response_tokens", "%.1f") + " | " +
          note + " |\n";
  }
  write_file_atomic(run_dir / "report.md", md);
}

}  // namespace forge
