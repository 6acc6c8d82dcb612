#include "minhash.h"

#include <forge/parallel.h>

#include "normalize.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace forge::dedup {
namespace {

constexpr std::uint64_t kPrime = (std::uint64_t{1} << 61) - 1;  // Mersenne: cheap modulo

std::uint64_t mod_prime(__uint128_t x) {
  std::uint64_t low = static_cast<std::uint64_t>(x & kPrime) + static_cast<std::uint64_t>(x >> 61);
  return low >= kPrime ? low - kPrime : low;
}

struct UnionFind {
  std::vector<std::uint32_t> parent;
  explicit UnionFind(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  std::uint32_t find(std::uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  // The smaller root wins, so each cluster's root is its first document.
  void join(std::uint32_t a, std::uint32_t b) {
    a = find(a), b = find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
};

}  // namespace

MinHasher::MinHasher(const MinHashSettings& settings) : settings_(settings) {
  for (std::size_t i = 0; i < settings.hashes(); ++i) {
    a_.push_back(hash64("a", settings.seed * 1000003 + i) % (kPrime - 1) + 1);
    b_.push_back(hash64("b", settings.seed * 1000003 + i) % kPrime);
  }
}

void MinHasher::signature(std::string_view normalized, std::uint32_t* out) const {
  thread_local std::vector<std::uint64_t> shingles;
  shingles.clear();
  const std::vector<std::string_view> tokens = words(normalized);
  const std::size_t n = settings_.ngram;
  if (tokens.size() <= n) {
    shingles.push_back(hash64(normalized, settings_.seed) % kPrime);  // short texts: one shingle
  } else {
    for (std::size_t i = 0; i + n <= tokens.size(); ++i) {
      const char* begin = tokens[i].data();
      const char* end = tokens[i + n - 1].data() + tokens[i + n - 1].size();
      shingles.push_back(
          hash64(std::string_view(begin, static_cast<std::size_t>(end - begin)), settings_.seed) %
          kPrime);
    }
  }
  for (std::size_t k = 0; k < a_.size(); ++k) {
    std::uint64_t best = std::numeric_limits<std::uint64_t>::max();
    for (std::uint64_t h : shingles)
      best = std::min(best, mod_prime(static_cast<__uint128_t>(a_[k]) * h + b_[k]));
    out[k] = static_cast<std::uint32_t>(best);
  }
}

std::vector<bool> minhash_duplicates(std::span<const std::uint32_t> signatures, std::size_t count,
                                     const MinHashSettings& settings, unsigned threads) {
  const std::size_t width = settings.hashes();
  auto signature = [&](std::size_t doc) { return signatures.subspan(doc * width, width); };
  auto similarity = [&](std::size_t x, std::size_t y) {
    auto a = signature(x), b = signature(y);
    std::size_t equal = 0;
    for (std::size_t k = 0; k < width; ++k) equal += a[k] == b[k];
    return static_cast<double>(equal) / static_cast<double>(width);
  };
  // Per band: documents sorted by that band's hash, so that a bucket is a run of equal keys.
  std::vector<std::vector<std::pair<std::uint64_t, std::uint32_t>>> bands(settings.bands);
  parallel_for(settings.bands, threads, [&](std::size_t band) {
    auto& keys = bands[band];
    keys.resize(count);
    for (std::size_t doc = 0; doc < count; ++doc) {
      auto rows = signature(doc).subspan(band * settings.rows, settings.rows);
      keys[doc] = {hash64(std::string_view(reinterpret_cast<const char*>(rows.data()),
                                           rows.size() * sizeof(std::uint32_t)),
                          band),
                   static_cast<std::uint32_t>(doc)};
    }
    std::sort(keys.begin(), keys.end());
  });
  UnionFind clusters(count);
  for (const auto& keys : bands) {
    for (std::size_t i = 0; i < keys.size();) {
      std::size_t j = i + 1;
      while (j < keys.size() && keys[j].first == keys[i].first) ++j;
      for (std::size_t k = i + 1; k < j; ++k)  // the bucket's first document, the lowest index
        if (settings.min_similarity <= 0 ||
            similarity(keys[i].second, keys[k].second) >= settings.min_similarity)
          clusters.join(keys[i].second, keys[k].second);
      i = j;
    }
  }
  std::vector<bool> drop(count);
  for (std::size_t doc = 0; doc < count; ++doc)
    drop[doc] = clusters.find(static_cast<std::uint32_t>(doc)) != doc;
  return drop;
}

}  // namespace forge::dedup
