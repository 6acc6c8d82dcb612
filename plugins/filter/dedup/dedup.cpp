// Filters `exact_dedup` and `minhash_dedup`: global steps that drop every document but the
// first of each group of copies (exact, after normalization) or near-copies (MinHash over word
// n-grams), across the whole dataset, every task and every process.
#include <forge/global_filter.h>

#include "minhash.h"
#include "normalize.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace forge {
namespace {

class ExactDedup : public GlobalFilter {
 public:
  explicit ExactDedup(const Config& config) : normalize_(config.boolean("normalize")) {}

  std::size_t signature_bytes() const override { return 16; }
  void signature(const Document& document, std::uint8_t* out) const override {
    const std::string text = normalize_ ? dedup::normalize(document.text) : document.text;
    const std::uint64_t hashes[2] = {dedup::hash64(text, 1), dedup::hash64(text, 2)};
    std::memcpy(out, hashes, sizeof hashes);
  }
  std::vector<bool> decide(std::span<const std::uint8_t> signatures, std::size_t count,
                           unsigned) const override {
    // Sorted by (hash, index), each run of equal hashes keeps its first document.
    std::vector<std::pair<std::array<std::uint64_t, 2>, std::size_t>> keys(count);
    for (std::size_t i = 0; i < count; ++i) {
      std::memcpy(keys[i].first.data(), signatures.data() + 16 * i, 16);
      keys[i].second = i;
    }
    std::sort(keys.begin(), keys.end());
    std::vector<bool> drop(count);
    for (std::size_t i = 1; i < count; ++i)
      if (keys[i].first == keys[i - 1].first) drop[keys[i].second] = true;
    return drop;
  }
  std::string drop_reason() const override { return "duplicate"; }

 private:
  bool normalize_;
};

dedup::MinHashSettings minhash_settings(const Config& config) {
  dedup::MinHashSettings settings;
  settings.bands = static_cast<std::size_t>(config.integer("bands"));
  settings.rows = static_cast<std::size_t>(config.integer("rows"));
  settings.ngram = static_cast<std::size_t>(config.integer("ngram"));
  settings.seed = static_cast<std::uint64_t>(config.integer("seed"));
  settings.min_similarity = config.number("min_similarity");
  return settings;
}

class MinhashDedup : public GlobalFilter {
 public:
  explicit MinhashDedup(const Config& config)
      : settings_(minhash_settings(config)), hasher_(settings_) {}

  std::size_t signature_bytes() const override { return settings_.hashes() * 4; }
  void signature(const Document& document, std::uint8_t* out) const override {
    std::vector<std::uint32_t> values(settings_.hashes());
    hasher_.signature(dedup::normalize(document.text), values.data());
    std::memcpy(out, values.data(), values.size() * 4);
  }
  std::vector<bool> decide(std::span<const std::uint8_t> signatures, std::size_t count,
                           unsigned threads) const override {
    std::vector<std::uint32_t> values(count * settings_.hashes());
    std::memcpy(values.data(), signatures.data(), values.size() * 4);
    return dedup::minhash_duplicates(values, count, settings_, threads);
  }
  std::string drop_reason() const override { return "near_duplicate"; }

 private:
  dedup::MinHashSettings settings_;
  dedup::MinHasher hasher_;
};

std::vector<PluginInfo> plugins() {
  return {
      describe_plugin<ExactDedup>(
          "exact_dedup", "1.0",
          "Drops every copy of a text but the first, over every task and process",
          Schema{param::boolean("normalize")
                     .fallback(true)
                     .doc("compare lower-cased text with punctuation and spacing folded")}),
      describe_plugin<MinhashDedup>(
          "minhash_dedup", "1.0",
          "Drops near-duplicates (MinHash over word n-grams, banded) but the first of each",
          Schema{
              param::integer("bands").fallback(14).range(1, 64).doc("bands of the signature"),
              param::integer("rows").fallback(8).range(1, 32).doc("hashes per band"),
              param::integer("ngram").fallback(5).range(1, 32).doc(
                  "words per shingle of the normalized text"),
              param::number("min_similarity")
                  .fallback(0.7)
                  .range(0, 1)
                  .doc("share of equal hashes (estimated Jaccard) two documents of one bucket "
                       "also need; 0 merges on any shared band"),
              param::integer("seed").fallback(1).at_least(0).doc("seed of the hash functions"),
          }),
  };
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
