// Accuracy of the `language` filter on labelled texts, and its keep-rate and precision as
// min_score varies; the texts come from make_texts.py (JSON lines {lang, min_chars, text}).
//   forge_bench_language TEXTS.jsonl
#include <forge/filter.h>
#include <forge/schema.h>

#include "plugin/registry.h"
#include "recipe/recipe.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace {

struct Result {
  std::string label;
  int min_chars = 0;
  double share = 1;       // of the label's language in a two-language document; 1 otherwise
  std::string predicted;  // base code: zh-Hant counts as zh
  double score = 0;
  bool correct() const { return predicted == label; }
};

std::unique_ptr<forge::Filter> make_filter() {
  static forge::Node root = forge::Node::map();
  root.set("section",
           forge::parse_yaml("{plugin: language, languages: [], min_score: 0}", "<bench>"));
  forge::Schema schema{forge::param::plugin("section", forge::PluginKind::filter).required()};
  auto& registry = forge::Registry::global();
  registry.load_defaults();
  forge::validate(root, schema, registry);
  static forge::Config config(*root.find("section"), "section");
  return registry.create<forge::Filter>(config);
}

void print_accuracy(const std::vector<Result>& results) {
  std::map<int, std::map<std::string, std::pair<int, int>>> table;  // min_chars -> label -> ok/n
  for (const Result& r : results) {
    if (r.share < 1) continue;
    auto& cell = table[r.min_chars][r.label];
    cell.first += r.correct();
    ++cell.second;
  }
  std::printf("\naccuracy (top language == label)\n%-6s", "lang");
  for (auto& [min_chars, row] : table) std::printf("  >=%-4d chars", min_chars);
  std::printf("\n");
  std::map<std::string, bool> labels;
  for (auto& [min_chars, row] : table)
    for (auto& [label, cell] : row) labels[label] = true;
  for (auto& [label, unused] : labels) {
    std::printf("%-6s", label.c_str());
    for (auto& [min_chars, row] : table) {
      auto [ok, n] = row[label];
      std::printf("  %5.3f (%4d)", n ? static_cast<double>(ok) / n : 0.0, n);
    }
    std::printf("\n");
  }
  std::printf("%-6s", "all");
  for (auto& [min_chars, row] : table) {
    int ok = 0, n = 0;
    for (auto& [label, cell] : row) ok += cell.first, n += cell.second;
    std::printf("  %5.3f (%4d)", static_cast<double>(ok) / n, n);
  }
  std::printf("\n");
}

// For each threshold: how many documents keep a score at or above it, how many of those are
// right, and, per language as the one kept, recall (its documents kept) and precision.
void print_sweep(const std::vector<Result>& results, int min_chars) {
  std::map<std::string, int> per_label;
  int total = 0;
  for (const Result& r : results)
    if (r.min_chars == min_chars && r.share == 1) ++per_label[r.label], ++total;
  if (total == 0) return;
  std::printf("\nthreshold sweep, documents of >= %d chars (%d)\n", min_chars, total);
  std::printf("min_score  kept   acc_kept  macro_recall  macro_precision\n");
  for (int step = 0; step <= 20; ++step) {
    double threshold = step * 0.05;
    int kept = 0, right = 0;
    std::map<std::string, int> kept_right, kept_as;
    for (const Result& r : results) {
      if (r.min_chars != min_chars || r.share < 1 || r.score < threshold - 1e-9) continue;
      ++kept;
      right += r.correct();
      ++kept_as[r.predicted];
      if (r.correct()) ++kept_right[r.label];
    }
    double recall = 0, precision = 0;
    for (auto& [label, n] : per_label) {
      recall += static_cast<double>(kept_right[label]) / n;
      precision += kept_as[label] ? static_cast<double>(kept_right[label]) / kept_as[label] : 1.0;
    }
    std::printf("%9.2f  %5.3f  %8.3f  %12.3f  %15.3f\n", threshold,
                static_cast<double>(kept) / total, kept ? static_cast<double>(right) / kept : 0.0,
                recall / per_label.size(), precision / per_label.size());
  }
}

// Keeping one language at each threshold: the share of clean documents of >= 200 characters
// kept (recall), and of two-language documents kept by their first language's share in them.
void print_calibration(const std::vector<Result>& results) {
  std::map<double, std::pair<int, int>> mixed_total;
  int clean = 0;
  for (const Result& r : results) {
    if (r.share < 1) ++mixed_total[r.share].second;
    if (r.share == 1 && r.min_chars == 200) ++clean;
  }
  if (mixed_total.empty() || clean == 0) return;
  std::printf("\ncalibration: kept when keeping the first language\nmin_score  clean>=200");
  for (auto& [share, unused] : mixed_total) std::printf("  mixed %.0f%%", share * 100);
  std::printf("\n");
  for (double threshold : {0.0, 0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9}) {
    int clean_kept = 0;
    std::map<double, int> mixed_kept;
    for (const Result& r : results) {
      bool kept = r.correct() && r.score >= threshold - 1e-9 && r.predicted != "un";
      if (r.share == 1 && r.min_chars == 200) clean_kept += kept;
      if (r.share < 1) mixed_kept[r.share] += kept;
    }
    std::printf("%9.2f  %9.3f", threshold, static_cast<double>(clean_kept) / clean);
    for (auto& [share, total] : mixed_total)
      std::printf("  %9.3f", static_cast<double>(mixed_kept[share]) / total.second);
    std::printf("\n");
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: forge_bench_language TEXTS.jsonl\n");
    return 2;
  }
  try {
    auto filter = make_filter();
    std::ifstream in(argv[1]);
    if (!in) throw forge::Error(std::string("cannot read ") + argv[1]);
    std::vector<Result> results;
    std::vector<forge::Document> documents;
    std::vector<nlohmann::json> rows;
    for (std::string line; std::getline(in, line);) {
      if (line.empty()) continue;
      rows.push_back(nlohmann::json::parse(line));
      forge::Document document;
      document.text = rows.back()["text"].get<std::string>();
      documents.push_back(std::move(document));
    }
    std::size_t bytes = 0;
    auto start = std::chrono::steady_clock::now();
    for (auto& document : documents) {
      filter->apply(document);
      bytes += document.text.size();
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::map<std::string, int> confusions;
    for (std::size_t i = 0; i < documents.size(); ++i) {
      Result r;
      r.label = rows[i]["lang"].get<std::string>();
      r.min_chars = rows[i].value("min_chars", 0);
      r.share = rows[i].value("share", 1.0);
      std::string code = documents[i].metadata["language"].get<std::string>();
      r.predicted = code.substr(0, code.find('-'));
      r.score = documents[i].metadata["language_score"].get<double>();
      if (!r.correct() && r.min_chars >= 200 && r.share == 1) ++confusions[r.label + " -> " + code];
      results.push_back(r);
    }
    std::printf("%zu documents, %.2f MB in %.3f s: %.1f MB/s, %.0f docs/s (one thread)\n",
                documents.size(), bytes / 1e6, seconds, bytes / 1e6 / seconds,
                documents.size() / seconds);
    print_accuracy(results);
    std::map<int, bool> lengths;
    for (const Result& r : results) lengths[r.min_chars] = true;
    for (auto& [min_chars, unused] : lengths) print_sweep(results, min_chars);
    print_calibration(results);
    std::printf("\nerrors on documents of >= 200 chars\n");
    for (auto& [pair, n] : confusions) std::printf("  %-16s %d\n", pair.c_str(), n);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "forge_bench_language: %s\n", error.what());
    return 1;
  }
  return 0;
}
