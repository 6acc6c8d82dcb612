#include "bm25.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace forge::search {
namespace {

bool word_byte(unsigned char c) { return std::isalnum(c) || c >= 0x80; }

// Whitespace-separated words of a paragraph, as they are written.
std::vector<std::string_view> raw_words(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    const std::size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) out.push_back(text.substr(start, i - start));
  }
  return out;
}

std::string join(const std::vector<std::string_view>& words, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) {
    if (i > from) out += ' ';
    out += words[i];
  }
  return out;
}

}  // namespace

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !word_byte(static_cast<unsigned char>(text[i]))) ++i;
    std::string word;
    while (i < text.size() && word_byte(static_cast<unsigned char>(text[i])))
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i++])));
    if (!word.empty()) out.push_back(std::move(word));
  }
  return out;
}

std::vector<std::string> split_passages(std::string_view text, std::size_t max_words) {
  std::vector<std::string> out;
  std::string current;
  std::size_t current_words = 0;
  auto flush = [&] {
    if (!current.empty()) out.push_back(std::move(current));
    current.clear();
    current_words = 0;
  };
  std::size_t begin = 0;
  while (begin <= text.size()) {
    std::size_t end = text.find("\n\n", begin);
    if (end == std::string_view::npos) end = text.size();
    std::vector<std::string_view> words = raw_words(text.substr(begin, end - begin));
    begin = end + 2;
    if (words.empty()) continue;
    if (current_words + words.size() > max_words) flush();
    if (words.size() > max_words) {
      for (std::size_t from = 0; from < words.size(); from += max_words)
        out.push_back(join(words, from, std::min(words.size(), from + max_words)));
      continue;
    }
    if (!current.empty()) current += "\n\n";
    current += join(words, 0, words.size());
    current_words += words.size();
  }
  flush();
  return out;
}

void Bm25Index::add(Passage passage) {
  const auto id = static_cast<std::uint32_t>(passages_.size());
  std::vector<std::string> words = words_of(passage.text);
  std::map<std::string, std::uint32_t> counts;
  for (auto& word : words) ++counts[word];
  for (auto& [word, count] : counts) postings_[word].emplace_back(id, count);
  lengths_.push_back(static_cast<std::uint32_t>(words.size()));
  total_length_ += words.size();
  passages_.push_back(std::move(passage));
}

std::vector<Hit> Bm25Index::query(std::string_view text, std::size_t k) const {
  std::vector<std::string> words = words_of(text);
  std::set<std::string> terms(words.begin(), words.end());
  if (passages_.empty()) return {};
  const double n = static_cast<double>(passages_.size());
  const double average = static_cast<double>(total_length_) / n;
  std::unordered_map<std::uint32_t, double> scores;
  for (const std::string& term : terms) {
    auto found = postings_.find(term);
    if (found == postings_.end()) continue;
    const double df = static_cast<double>(found->second.size());
    const double idf = std::log(1 + (n - df + 0.5) / (df + 0.5));
    for (auto [id, count] : found->second) {
      const double tf = count;
      const double norm = k1_ * (1 - b_ + b_ * lengths_[id] / std::max(average, 1e-9));
      scores[id] += idf * tf * (k1_ + 1) / (tf + norm);
    }
  }
  std::vector<Hit> hits;
  for (auto [id, score] : scores)
    if (score > 0) hits.push_back({id, score});
  auto better = [](const Hit& a, const Hit& b) {
    return a.score != b.score ? a.score > b.score : a.passage < b.passage;
  };
  const std::size_t keep = std::min(k, hits.size());
  std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(keep), hits.end(),
                    better);
  hits.resize(keep);
  return hits;
}

}  // namespace forge::search
