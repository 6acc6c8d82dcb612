// MinHash deduplication on generated documents with planted near-duplicates of known Jaccard
// similarity (of their word 5-gram sets): recall at >= 0.8, false merges below 0.5, and time
// and memory for the whole dataset.
//   forge_bench_minhash [--documents N] [--words W] [--threads T] [--jsonl DIR]
// --jsonl also writes the documents as 16 JSON Lines shards, to run them through the data
// stage (experiments/minhash/README.md).
#include <forge/parallel.h>
#include <forge/random.h>

#include "minhash.h"
#include "normalize.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace {

using namespace forge;

std::string word(std::uint64_t id) { return "w" + std::to_string(id); }

// The 5-gram shingle sets' Jaccard similarity of two word sequences.
double jaccard(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
  auto shingles = [](const std::vector<std::uint64_t>& w) {
    std::set<std::vector<std::uint64_t>> out;
    for (std::size_t i = 0; i + 5 <= w.size(); ++i) out.insert({w.begin() + i, w.begin() + i + 5});
    return out;
  };
  auto sa = shingles(a), sb = shingles(b);
  std::size_t common = 0;
  for (const auto& s : sa) common += sb.count(s);
  return static_cast<double>(common) / static_cast<double>(sa.size() + sb.size() - common);
}

// A copy of `base` with `changes` words replaced, spread evenly: each change breaks the five
// shingles that hold it, so changes set the similarity.
std::vector<std::uint64_t> variant(const std::vector<std::uint64_t>& base, std::size_t changes,
                                   Generator& g) {
  std::vector<std::uint64_t> out = base;
  for (std::size_t k = 0; k < changes; ++k) {
    const std::size_t at =
        (k * out.size()) / changes + g.next_u64() % std::max<std::size_t>(1, out.size() / changes);
    out[std::min(at, out.size() - 1)] = 10'000'000 + g.next_u64() % 1'000'000;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t documents = 100'000, words_per_doc = 80;
  unsigned threads = default_threads();
  std::string jsonl;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    if (key == "--jsonl") {
      jsonl = argv[i + 1];
      continue;
    }
    const auto value = static_cast<std::size_t>(std::stoull(argv[i + 1]));
    if (key == "--documents")
      documents = value;
    else if (key == "--words")
      words_per_doc = value;
    else if (key == "--threads")
      threads = static_cast<unsigned>(value);
  }
  Generator g(7);
  // Documents in dataset order: a base, then maybe its variant right after (so the variant is
  // the one a merge drops). A fifth of the bases get a variant.
  std::vector<std::vector<std::uint64_t>> docs;
  struct Planted {
    std::size_t base, copy;
    double similarity;
  };
  std::vector<Planted> planted;
  const std::size_t max_changes = words_per_doc / 5;
  while (docs.size() < documents) {
    std::vector<std::uint64_t> base(words_per_doc);
    for (auto& w : base) w = g.next_u64() % 50'000;  // a 50k-word vocabulary
    docs.push_back(base);
    if (docs.size() < documents && g.next_u64() % 5 == 0) {
      const std::size_t changes = 1 + g.next_u64() % max_changes;
      docs.push_back(variant(base, changes, g));
      planted.push_back({docs.size() - 2, docs.size() - 1, 0.0});
    }
  }
  // Exact similarities for the planted pairs (a sample for speed at large sizes).
  const std::size_t measured = std::min<std::size_t>(planted.size(), 20'000);
  for (std::size_t i = 0; i < measured; ++i)
    planted[i].similarity = jaccard(docs[planted[i].base], docs[planted[i].copy]);

  if (!jsonl.empty()) {
    std::filesystem::create_directories(jsonl);
    std::vector<std::FILE*> shards;
    for (int s = 0; s < 16; ++s)
      shards.push_back(std::fopen((jsonl + "/" + std::to_string(100 + s) + ".jsonl").c_str(), "w"));
    for (std::size_t d = 0; d < docs.size(); ++d) {
      std::string text;
      for (std::uint64_t w : docs[d]) text += word(w) + " ";
      std::fprintf(shards[d * 16 / docs.size()], "{\"id\": \"%zu\", \"text\": \"%s\"}\n", d,
                   text.c_str());
    }
    for (std::FILE* f : shards) std::fclose(f);
  }
  dedup::MinHashSettings settings;
  dedup::MinHasher hasher(settings);
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::uint32_t> signatures(documents * settings.hashes());
  parallel_for(documents, threads, [&](std::size_t d) {
    std::string text;
    for (std::uint64_t w : docs[d]) text += word(w) + " ";
    hasher.signature(dedup::normalize(text), &signatures[d * settings.hashes()]);
  });
  const double signed_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::vector<bool> drop =
      dedup::minhash_duplicates(signatures, documents, settings, threads);
  const double total_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  // Merged: the copy was dropped (the base, first, stays).
  std::map<int, std::pair<std::size_t, std::size_t>>
      by_level;  // tenth of similarity -> merged, pairs
  std::size_t high = 0, high_merged = 0, low = 0, low_merged = 0;
  for (std::size_t i = 0; i < measured; ++i) {
    const Planted& p = planted[i];
    const bool merged = drop[p.copy];
    auto& level = by_level[static_cast<int>(p.similarity * 20)];
    level.first += merged;
    level.second++;
    if (p.similarity >= 0.8) high++, high_merged += merged;
    if (p.similarity < 0.5) low++, low_merged += merged;
  }
  std::size_t dropped = 0;
  for (bool d : drop) dropped += d;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("%zu documents of %zu words, %zu planted pairs (%zu measured), %u threads\n",
              documents, words_per_doc, planted.size(), measured, threads);
  std::printf("similarity  pairs  merged\n");
  for (const auto& [level, counts] : by_level)
    std::printf("%.2f-%.2f  %6zu  %6.3f\n", level / 20.0, (level + 1) / 20.0, counts.second,
                static_cast<double>(counts.first) / counts.second);
  std::printf("recall at >= 0.8: %.4f (%zu pairs); merged below 0.5: %.4f (%zu pairs)\n",
              high ? static_cast<double>(high_merged) / high : 0.0, high,
              low ? static_cast<double>(low_merged) / low : 0.0, low);
  std::printf("dropped %zu of %zu; signatures %.1f s, all %.1f s; peak RSS %.0f MB\n", dropped,
              documents, signed_s, total_s, static_cast<double>(usage.ru_maxrss) / 1024);
  return 0;
}
