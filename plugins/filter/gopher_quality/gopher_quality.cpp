// Filter `gopher_quality`: Gopher's quality rules (Rae et al. 2021, section A.1.1) with
// datatrove's definitions: word count, mean word length, # and ellipsis per word, bullet and
// ellipsis lines, words with a letter, and stop words.
#include "text_stats/hashing.h"
#include "text_stats/unicode.h"
#include "text_stats/words.h"

#include <forge/error.h>
#include <forge/filter.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace forge {
namespace {

// Python's str.count: non-overlapping occurrences.
std::size_t count_of(std::string_view text, std::string_view needle) {
  std::size_t count = 0;
  for (std::size_t i = text.find(needle); i != std::string_view::npos;
       i = text.find(needle, i + needle.size()))
    ++count;
  return count;
}

bool has(std::string_view word, bool (*test)(char32_t)) {
  for (std::size_t i = 0, length = 0; i < word.size(); i += length)
    if (test(text::decode(word, i, length))) return true;
  return false;
}

bool is_not_punctuation(char32_t c) { return !text::is_punctuation(c); }

// Stop words found by hash, then confirmed by comparison.
class StopWords {
 public:
  explicit StopWords(std::vector<std::string> words) : words_(std::move(words)) {
    std::sort(words_.begin(), words_.end());
    words_.erase(std::unique(words_.begin(), words_.end()), words_.end());
    for (std::size_t i = 0; i < words_.size(); ++i) {
      index_.emplace_back(text::hash_bytes(words_[i]), i);
      longest_ = std::max(longest_, words_[i].size());
    }
    std::sort(index_.begin(), index_.end());
  }

  // How many distinct stop words appear among `tokens`, counting up to `enough`.
  std::size_t count_distinct(const std::vector<std::string_view>& tokens,
                             std::size_t enough) const {
    std::vector<bool> seen(words_.size());
    std::size_t distinct = 0;
    for (std::string_view token : tokens) {
      if (token.size() > longest_) continue;
      std::uint64_t hash = text::hash_bytes(token);
      auto it = std::lower_bound(index_.begin(), index_.end(), std::pair{hash, std::size_t{0}});
      for (; it != index_.end() && it->first == hash; ++it) {
        if (words_[it->second] != token || seen[it->second]) continue;
        seen[it->second] = true;
        if (++distinct >= enough) return distinct;
      }
    }
    return distinct;
  }

 private:
  std::vector<std::string> words_;
  std::vector<std::pair<std::uint64_t, std::size_t>> index_;
  std::size_t longest_ = 0;
};

class GopherQuality : public Filter {
 public:
  explicit GopherQuality(const Config& config)
      : min_doc_words_(config.integer("min_doc_words")),
        max_doc_words_(config.integer("max_doc_words")),
        min_avg_word_length_(config.number("min_avg_word_length")),
        max_avg_word_length_(config.number("max_avg_word_length")),
        max_symbol_word_ratio_(config.number("max_symbol_word_ratio")),
        max_bullet_lines_ratio_(config.number("max_bullet_lines_ratio")),
        max_ellipsis_lines_ratio_(config.number("max_ellipsis_lines_ratio")),
        min_alpha_words_ratio_(config.number("min_alpha_words_ratio")),
        min_stop_words_(config.integer("min_stop_words")),
        stop_words_(config.strings("stop_words")) {
    if (max_doc_words_ > 0 && max_doc_words_ < min_doc_words_)
      config.fail("max_doc_words", cat("must be at least min_doc_words (", min_doc_words_, ")"));
    if (max_avg_word_length_ > 0 && max_avg_word_length_ < min_avg_word_length_)
      config.fail("max_avg_word_length",
                  cat("must be at least min_avg_word_length (", min_avg_word_length_, ")"));
  }

  Verdict apply(Document& document) const override {
    const std::string_view text = document.text;
    thread_local std::vector<std::string_view> words;
    words.clear();
    text::split_words(text, words);

    std::size_t content_words = 0, content_chars = 0, alpha_words = 0;
    for (std::string_view word : words) {
      if (has(word, is_not_punctuation)) {
        ++content_words;
        content_chars += text::count_code_points(word);
      }
      alpha_words += has(word, text::is_alpha);
    }
    if (min_doc_words_ > 0 && content_words < static_cast<std::size_t>(min_doc_words_))
      return Verdict::drop("short_doc");
    if (max_doc_words_ > 0 && content_words > static_cast<std::size_t>(max_doc_words_))
      return Verdict::drop("long_doc");
    if (content_words > 0) {
      double mean = static_cast<double>(content_chars) / static_cast<double>(content_words);
      if (min_avg_word_length_ > 0 && mean < min_avg_word_length_)
        return Verdict::drop("below_avg_word_length");
      if (max_avg_word_length_ > 0 && mean > max_avg_word_length_)
        return Verdict::drop("above_avg_word_length");
    }

    if (!words.empty()) {
      double tokens = static_cast<double>(words.size());
      if (max_symbol_word_ratio_ > 0) {
        if (static_cast<double>(count_of(text, "#")) / tokens > max_symbol_word_ratio_)
          return Verdict::drop("too_many_hashes");
        double ellipses = static_cast<double>(count_of(text, "...") + count_of(text, "\u2026"));
        if (ellipses / tokens > max_symbol_word_ratio_) return Verdict::drop("too_many_ellipsis");
      }
    }

    if (auto verdict = check_lines(text); verdict.action != Verdict::Action::keep) return verdict;

    if (!words.empty() && min_alpha_words_ratio_ > 0 &&
        static_cast<double>(alpha_words) / static_cast<double>(words.size()) <
            min_alpha_words_ratio_)
      return Verdict::drop("below_alpha_threshold");
    if (min_stop_words_ > 0 && stop_words_.count_distinct(words, min_stop_words_) <
                                   static_cast<std::size_t>(min_stop_words_))
      return Verdict::drop("not_enough_stop_words");
    return Verdict::keep();
  }

 private:
  // Lines that start with a bullet (• or -) or end with an ellipsis (... or …).
  Verdict check_lines(std::string_view text) const {
    if (max_bullet_lines_ratio_ <= 0 && max_ellipsis_lines_ratio_ <= 0) return Verdict::keep();
    thread_local std::vector<std::string_view> lines;
    lines.clear();
    text::split_lines(text, lines);
    if (lines.empty()) return Verdict::keep();
    std::size_t bullets = 0, ellipses = 0;
    for (std::string_view line : lines) {
      std::string_view head = text::strip_left(line);
      bullets += head.starts_with("\u2022") || head.starts_with("-");
      std::string_view tail = text::strip_right(line);
      ellipses += tail.ends_with("...") || tail.ends_with("\u2026");
    }
    double count = static_cast<double>(lines.size());
    if (max_bullet_lines_ratio_ > 0 && bullets / count > max_bullet_lines_ratio_)
      return Verdict::drop("too_many_bullets");
    if (max_ellipsis_lines_ratio_ > 0 && ellipses / count > max_ellipsis_lines_ratio_)
      return Verdict::drop("too_many_end_ellipsis");
    return Verdict::keep();
  }

  std::int64_t min_doc_words_;
  std::int64_t max_doc_words_;
  double min_avg_word_length_;
  double max_avg_word_length_;
  double max_symbol_word_ratio_;
  double max_bullet_lines_ratio_;
  double max_ellipsis_lines_ratio_;
  double min_alpha_words_ratio_;
  std::int64_t min_stop_words_;
  StopWords stop_words_;
};

std::vector<PluginInfo> plugins() {
  Schema schema{
      param::integer("min_doc_words")
          .fallback(50)
          .at_least(0)
          .doc("drop (short_doc) with fewer words that are not all punctuation; 0 turns it off"),
      param::integer("max_doc_words")
          .fallback(100000)
          .at_least(0)
          .doc("drop (long_doc) with more such words; 0 turns it off"),
      param::number("min_avg_word_length")
          .fallback(3.0)
          .at_least(0)
          .doc("drop (below_avg_word_length) when their mean length in characters is lower"),
      param::number("max_avg_word_length")
          .fallback(10.0)
          .at_least(0)
          .doc("drop (above_avg_word_length) when their mean length is higher; 0 turns it off"),
      param::number("max_symbol_word_ratio")
          .fallback(0.1)
          .at_least(0)
          .doc("drop (too_many_hashes, too_many_ellipsis) with more '#', or more '...' and "
               "'\u2026', per word token"),
      param::number("max_bullet_lines_ratio")
          .fallback(0.9)
          .range(0, 1)
          .doc("drop (too_many_bullets) when more of the lines start with '\u2022' or '-'"),
      param::number("max_ellipsis_lines_ratio")
          .fallback(0.3)
          .range(0, 1)
          .doc("drop (too_many_end_ellipsis) when more of the lines end with '...' or '\u2026'"),
      param::number("min_alpha_words_ratio")
          .fallback(0.8)
          .range(0, 1)
          .doc("drop (below_alpha_threshold) when fewer of the word tokens contain a letter"),
      param::integer("min_stop_words")
          .fallback(2)
          .at_least(0)
          .doc("drop (not_enough_stop_words) with fewer distinct stop words; 0 turns it off"),
      param::string_list("stop_words")
          .fallback(
              std::vector<std::string>{"the", "be", "to", "of", "and", "that", "have", "with"})
          .doc("the stop words, matched case-sensitively against word tokens"),
  };
  return {describe_plugin<GopherQuality>(
      "gopher_quality", "1.0",
      "Drops documents failing Gopher's quality heuristics (Rae et al. 2021)", std::move(schema))};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
