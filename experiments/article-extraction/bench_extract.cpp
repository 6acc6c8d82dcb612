// Quality and speed of the html_extract filter on the article-extraction benchmark (181 real
// pages with hand-made article bodies), on one thread:
//   forge_bench_extract [--data DIR] [--predictions FILE.json] [--repeat N] [--per-page]
//                       [--option KEY=VALUE ...] [--step YAML ...]
//   forge_bench_extract --score PREDICTIONS.json ...   (score another extractor's output)
// Quality: the benchmark's own scoring (shingle_score.h) of the extracted text, and of the whole
// page's visible text as a baseline. Speed: documents and HTML megabytes per second through the
// filter alone and through the filter followed by the --step filters (default: length).
#include <forge/document.h>
#include <forge/error.h>
#include <forge/files.h>
#include <forge/filter.h>

#include "plugin/registry.h"
#include "recipe/recipe.h"
#include "shingle_score.h"
#include "train/checkpoint_model.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Page {
  std::string id, url, html, truth;
};

struct Args {
  fs::path data;
  fs::path predictions;
  std::vector<fs::path> score;  // predictions files to score instead of extracting
  int repeat = 3;
  bool per_page = false;
  std::vector<std::string> options;  // KEY: VALUE pairs for html_extract
  std::vector<std::string> steps;    // further filters, as YAML sections
};

fs::path default_data() {
  if (const char* env = std::getenv("FORGE_EXTRACTION_BENCHMARK")) return env;
  return fs::path(FORGE_SOURCE_DIR) / ".." / "shared" / "data" / "article-extraction-benchmark";
}

Args parse_args(int argc, char** argv) {
  Args args;
  args.data = default_data();
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw forge::Error("forge_bench_extract: " + arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--data") {
      args.data = value();
    } else if (arg == "--predictions") {
      args.predictions = value();
    } else if (arg == "--repeat") {
      args.repeat = std::max(1, std::stoi(value()));
    } else if (arg == "--score") {
      args.score.push_back(value());
    } else if (arg == "--per-page") {
      args.per_page = true;
    } else if (arg == "--option") {
      std::string option = value();
      std::size_t equals = option.find('=');
      if (equals == std::string::npos) throw forge::Error("--option wants KEY=VALUE: " + option);
      args.options.push_back(option.substr(0, equals) + ": " + option.substr(equals + 1));
    } else if (arg == "--step") {
      args.steps.push_back(value());
    } else {
      throw forge::Error(
          "forge_bench_extract: unknown argument '" + arg +
          "' (--data, --predictions, --score, --repeat, --per-page, --option, --step)");
    }
  }
  if (args.steps.empty()) args.steps.push_back("{plugin: length, min_words: 50}");
  return args;
}

std::vector<Page> load_pages(const fs::path& data) {
  const fs::path truth_file = data / "ground-truth.json";
  if (!fs::exists(truth_file))
    throw forge::Error("no " + truth_file.string() + "; give --data or FORGE_EXTRACTION_BENCHMARK");
  nlohmann::json truth = nlohmann::json::parse(forge::read_file(truth_file));
  std::vector<Page> pages;
  for (auto& [id, item] : truth.items()) {
    Page page;
    page.id = id;
    page.url = item.value("url", "");
    page.truth = item.value("articleBody", "");
    page.html = forge::read_file(data / "html" / (id + ".html.gz"));
    pages.push_back(std::move(page));
  }
  std::sort(pages.begin(), pages.end(), [](const Page& a, const Page& b) { return a.id < b.id; });
  return pages;
}

std::unique_ptr<forge::Filter> make_filter(const std::string& yaml) {
  forge::Registry& registry = forge::Registry::global();
  registry.load_defaults();
  forge::Node section = forge::parse_yaml(yaml, "<bench>");
  return std::unique_ptr<forge::Filter>(static_cast<forge::Filter*>(
      forge::make_plugin_from(section, forge::PluginKind::filter, "step", registry).release()));
}

std::string extract_section(const std::vector<std::string>& options, const std::string& extra) {
  std::string yaml = "{plugin: html_extract";
  for (const std::string& option : options) yaml += ", " + option;
  if (!extra.empty()) yaml += ", " + extra;
  return yaml + "}";
}

// Texts the filter leaves in each page's document (empty when it drops the page).
std::vector<std::string> run_filter(const forge::Filter& filter, const std::vector<Page>& pages) {
  std::vector<std::string> texts;
  for (const Page& page : pages) {
    forge::Document document{page.id, page.html, page.url};
    forge::Verdict verdict = filter.apply(document);
    texts.push_back(verdict.action == forge::Verdict::Action::drop ? "" : document.text);
  }
  return texts;
}

// Best of `repeat` passes over all pages through `filters` in order: seconds per pass.
double time_pipeline(const std::vector<const forge::Filter*>& filters,
                     const std::vector<Page>& pages, int repeat, std::size_t& kept) {
  double best = 1e30;
  for (int run = 0; run < repeat; ++run) {
    std::vector<forge::Document> documents;
    documents.reserve(pages.size());
    for (const Page& page : pages) documents.push_back({page.id, page.html, page.url});
    kept = 0;
    auto start = std::chrono::steady_clock::now();
    for (forge::Document& document : documents) {
      bool keep = true;
      for (const forge::Filter* filter : filters) {
        if (filter->apply(document).action == forge::Verdict::Action::drop) {
          keep = false;
          break;
        }
      }
      kept += keep;
    }
    best = std::min(
        best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

std::vector<forge::bench::PageScore> score(const std::vector<Page>& pages,
                                           const std::vector<std::string>& texts) {
  std::vector<forge::bench::PageScore> scores;
  for (std::size_t i = 0; i < pages.size(); ++i)
    scores.push_back(forge::bench::score_page(pages[i].truth, texts[i]));
  return scores;
}

void print_overall(const std::string& name, const std::vector<forge::bench::PageScore>& scores) {
  forge::bench::OverallScore overall = forge::bench::score_all(scores);
  std::printf("%-12s F1=%.4f precision=%.4f recall=%.4f pages=%zu\n", name.c_str(), overall.f1,
              overall.precision, overall.recall, scores.size());
}

// The benchmark's output/NAME.json files: {id: {articleBody}} or {"output": {id: ...}}.
void score_file(const fs::path& file, const std::vector<Page>& pages) {
  nlohmann::json predictions = nlohmann::json::parse(forge::read_file(file));
  if (predictions.contains("output")) predictions = predictions["output"];
  std::vector<std::string> texts;
  for (const Page& page : pages) {
    auto found = predictions.find(page.id);
    if (found == predictions.end())
      throw forge::Error(file.string() + " has no prediction for " + page.id);
    texts.push_back(found->value("articleBody", ""));
  }
  print_overall(file.stem().string(), score(pages, texts));
}

}  // namespace

int main(int argc, char** argv) {
  try {
    Args args = parse_args(argc, argv);
    std::vector<Page> pages = load_pages(args.data);
    if (!args.score.empty()) {
      for (const fs::path& file : args.score) score_file(file, pages);
      return 0;
    }
    std::size_t bytes = 0;
    for (const Page& page : pages) bytes += page.html.size();

    // Quality: nothing dropped for length, so every page is scored on what was extracted.
    auto extractor = make_filter(extract_section(args.options, "min_chars: 0"));
    std::vector<std::string> texts = run_filter(*extractor, pages);
    std::vector<forge::bench::PageScore> scores = score(pages, texts);
    auto whole = make_filter(extract_section({}, "min_chars: 0, whole_page: true"));
    std::vector<forge::bench::PageScore> baseline = score(pages, run_filter(*whole, pages));

    std::vector<std::size_t> order(pages.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return scores[a].f1() < scores[b].f1(); });
    std::size_t shown = args.per_page ? order.size() : std::min<std::size_t>(15, order.size());
    std::printf("%s pages, by F1 (id, F1, precision, recall, url):\n",
                args.per_page ? "all" : "worst 15");
    for (std::size_t k = 0; k < shown; ++k) {
      const Page& page = pages[order[k]];
      const auto& s = scores[order[k]];
      std::printf("  %.12s F1=%.3f P=%.3f R=%.3f %s\n", page.id.c_str(), s.f1(), s.precision(),
                  s.recall(), page.url.c_str());
    }
    print_overall("html_extract", scores);
    print_overall("whole_page", baseline);

    // Speed, one thread, HTML already in memory.
    auto filter = make_filter(extract_section(args.options, ""));
    std::vector<std::unique_ptr<forge::Filter>> steps;
    for (const std::string& step : args.steps) steps.push_back(make_filter(step));
    std::vector<const forge::Filter*> alone{filter.get()};
    std::vector<const forge::Filter*> pipeline{filter.get()};
    for (const auto& step : steps) pipeline.push_back(step.get());
    std::size_t kept_alone = 0, kept_pipeline = 0;
    double seconds = time_pipeline(alone, pages, args.repeat, kept_alone);
    double pipeline_seconds = time_pipeline(pipeline, pages, args.repeat, kept_pipeline);
    auto report = [&](const char* name, double s, std::size_t kept) {
      std::printf("%-12s %.1f docs/s  %.1f MB/s  (%zu docs, %.1f MB, %.3f s, %zu kept, 1 thread)\n",
                  name, pages.size() / s, bytes / s / 1e6, pages.size(), bytes / 1e6, s, kept);
    };
    report("extract", seconds, kept_alone);
    std::string names = "extract";
    for (const std::string& step : args.steps) names += " + " + step;
    report("pipeline", pipeline_seconds, kept_pipeline);
    std::printf("pipeline steps: %s\n", names.c_str());

    if (!args.predictions.empty()) {
      nlohmann::json out = nlohmann::json::object();
      for (std::size_t i = 0; i < pages.size(); ++i)
        out[pages[i].id] = {{"articleBody", texts[i]}, {"url", pages[i].url}};
      std::ofstream file(args.predictions);
      file << out.dump(2) << "\n";
      std::printf("predictions: %s\n", args.predictions.string().c_str());
    }
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "forge_bench_extract: %s\n", error.what());
    return 1;
  }
}
