#pragma once

// The article-extraction benchmark's scoring (scrapinghub/article-extraction-benchmark,
// evaluate.py), reimplemented: texts become `\w+` tokens (Python's Unicode \w, case kept), word
// 4-gram shingles are counted, and each page's TP/FP/FN (multiset overlap of shingles) are
// normalised to sum 1. Precision and recall are averaged over pages (precision over pages with
// TP+FP > 0, recall over pages with TP+FN > 0) and F1 is taken of the two averages.
// Header-only so that the plugin's tests can score with it too.

#include "word_chars.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace forge::bench {

inline bool is_word_char(std::uint32_t code) {
  if (code < 0x80) {
    return (code >= '0' && code <= '9') || (code >= 'a' && code <= 'z') ||
           (code >= 'A' && code <= 'Z') || code == '_';
  }
  const CodeRange* end = std::end(kWordChars);
  const CodeRange* found = std::upper_bound(
      std::begin(kWordChars), end, code,
      [](std::uint32_t value, const CodeRange& range) { return value < range.first; });
  return found != std::begin(kWordChars) && code <= (found - 1)->last;
}

// The next code point of UTF-8 text at `i` (advanced); an ill-formed byte reads as U+FFFD, as
// Python's decoder with errors="replace" would.
inline std::uint32_t next_code_point(std::string_view text, std::size_t& i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  std::size_t length = lead < 0x80                    ? 1
                       : lead >= 0xC2 && lead <= 0xDF ? 2
                       : lead >= 0xE0 && lead <= 0xEF ? 3
                       : lead >= 0xF0 && lead <= 0xF4 ? 4
                                                      : 0;
  if (length == 1) {
    ++i;
    return lead;
  }
  if (length == 0 || i + length > text.size()) {
    ++i;
    return 0xFFFD;
  }
  std::uint32_t code = lead & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  i += length;
  return code;
}

// Python's re.findall(r'\w+', text).
inline std::vector<std::string_view> word_tokens(std::string_view text) {
  std::vector<std::string_view> tokens;
  std::size_t i = 0, start = 0;
  bool in_word = false;
  while (i < text.size()) {
    std::size_t at = i;
    bool word = is_word_char(next_code_point(text, i));
    if (word && !in_word) start = at;
    if (!word && in_word) tokens.push_back(text.substr(start, at - start));
    in_word = word;
  }
  if (in_word) tokens.push_back(text.substr(start));
  return tokens;
}

// Shingle counts: each window of 4 tokens (the whole text when it has fewer), joined by \x1f.
inline std::unordered_map<std::string, int> shingles(std::string_view text, std::size_t n = 4) {
  std::vector<std::string_view> tokens = word_tokens(text);
  std::unordered_map<std::string, int> counts;
  if (tokens.empty()) return counts;
  std::size_t windows = tokens.size() >= n ? tokens.size() - n + 1 : 1;
  for (std::size_t i = 0; i < windows; ++i) {
    std::string key;
    for (std::size_t k = i; k < std::min(i + n, tokens.size()); ++k) {
      if (k > i) key += '\x1f';
      key.append(tokens[k]);
    }
    ++counts[key];
  }
  return counts;
}

struct PageScore {
  double tp = 0, fp = 0, fn = 0;  // normalised to sum 1 (all 0 when both texts are empty)

  double precision() const {
    if (fp == 0 && fn == 0) return 1;
    if (tp == 0 && fp == 0) return 0;
    return tp / (tp + fp);
  }
  double recall() const {
    if (fp == 0 && fn == 0) return 1;
    if (tp == 0 && fn == 0) return 0;
    return tp / (tp + fn);
  }
  double f1() const {
    double p = precision(), r = recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
  }
};

inline PageScore score_page(std::string_view truth, std::string_view prediction) {
  auto expected = shingles(truth);
  auto predicted = shingles(prediction);
  PageScore score;
  for (const auto& [key, count] : expected) {
    auto found = predicted.find(key);
    int other = found == predicted.end() ? 0 : found->second;
    score.tp += std::min(count, other);
    score.fn += std::max(0, count - other);
  }
  for (const auto& [key, count] : predicted) {
    auto found = expected.find(key);
    int other = found == expected.end() ? 0 : found->second;
    score.fp += std::max(0, count - other);
  }
  double sum = score.tp + score.fp + score.fn;
  if (sum > 0) {
    score.tp /= sum;
    score.fp /= sum;
    score.fn /= sum;
  }
  return score;
}

struct OverallScore {
  double precision = 0, recall = 0, f1 = 0;
};

inline OverallScore score_all(const std::vector<PageScore>& pages) {
  double precision = 0, recall = 0;
  int precision_pages = 0, recall_pages = 0;
  for (const PageScore& page : pages) {
    if (page.tp + page.fp > 0) {
      precision += page.precision();
      ++precision_pages;
    }
    if (page.tp + page.fn > 0) {
      recall += page.recall();
      ++recall_pages;
    }
  }
  OverallScore overall;
  overall.precision = precision_pages ? precision / precision_pages : 0;
  overall.recall = recall_pages ? recall / recall_pages : 0;
  double sum = overall.precision + overall.recall;
  overall.f1 = sum > 0 ? 2 * overall.precision * overall.recall / sum : 0;
  return overall;
}

}  // namespace forge::bench
