// Filter `gopher_repetition`: Gopher's repetition rules (Rae et al. 2021, Table A1) with
// datatrove's definitions: repeated paragraphs and lines, the most frequent 2..4-gram, and
// repeated 5..10-grams, each as a fraction of the document.
#include "text_stats/repetition.h"
#include "text_stats/unicode.h"
#include "text_stats/words.h"

#include <forge/error.h>
#include <forge/filter.h>
#include <forge/scalar.h>

#include <string>
#include <utility>
#include <vector>

namespace forge {
namespace {

// One n-gram rule: its n, its threshold and the reason a document fails it for.
struct NgramRule {
  std::size_t n = 0;
  double max_fraction = 0;
  std::string reason;
};

Node fraction_map(std::initializer_list<std::pair<const char*, const char*>> entries) {
  Node map = Node::map();
  for (auto [n, fraction] : entries) map.set(n, Node::scalar(fraction));
  return map;
}

// A mapping {n: fraction, ...}; a fraction of 0 turns that n off.
std::vector<NgramRule> ngram_rules(const Config& config, std::string_view key,
                                   std::string_view reason_prefix, std::string_view suffix) {
  const Node* node = config.node().find(key);
  if (!node || node->is_null()) return {};
  if (!node->is_map())
    config.fail(key, cat("expected a mapping of n-gram size to fraction, e.g. {2: 0.2, 3: 0.18}, "
                         "found ",
                         node->describe()));
  std::vector<NgramRule> rules;
  for (const Node::Entry& entry : node->entries()) {
    auto n = as_integer(Node::scalar(entry.key));
    auto fraction = as_number(entry.value);
    if (!n || *n < 1 || *n > 64)
      config.fail(key, cat("n-gram size '", entry.key, "' must be an integer in [1, 64]"));
    if (!fraction || *fraction < 0 || *fraction > 1)
      config.fail(key, cat("the fraction for ", *n, "-grams must be a number in [0, 1], found ",
                           entry.value.describe()));
    if (*fraction > 0)
      rules.push_back({static_cast<std::size_t>(*n), *fraction, cat(reason_prefix, *n, suffix)});
  }
  return rules;
}

// Scratch space reused by one thread across documents.
struct Scratch {
  std::vector<std::string_view> pieces;
  std::vector<std::string_view> words;
  text::WordSequence sequence;
  text::HashCounter table;
};

class GopherRepetition : public Filter {
 public:
  explicit GopherRepetition(const Config& config)
      : dup_para_frac_(config.number("dup_para_frac")),
        dup_para_char_frac_(config.number("dup_para_char_frac")),
        dup_line_frac_(config.number("dup_line_frac")),
        dup_line_char_frac_(config.number("dup_line_char_frac")),
        top_ngrams_(ngram_rules(config, "top_n_grams", "top_", "_gram")),
        dup_ngrams_(ngram_rules(config, "dup_n_grams", "duplicated_", "_n_grams")) {}

  Verdict apply(Document& document) const override {
    const std::string_view text = document.text;
    const double chars = static_cast<double>(text::count_code_points(text));
    if (chars == 0) return Verdict::keep();  // nothing repeats in an empty document
    thread_local Scratch scratch;

    scratch.pieces.clear();
    text::split_newline_runs(text::strip(text), 2, scratch.pieces);
    auto paragraphs = text::find_duplicates(scratch.pieces, scratch.table);
    if (exceeds(paragraphs.items, scratch.pieces.size(), dup_para_frac_))
      return Verdict::drop("dup_para_frac");
    if (exceeds(paragraphs.chars, chars, dup_para_char_frac_))
      return Verdict::drop("dup_para_char_frac");

    scratch.pieces.clear();
    text::split_newline_runs(text, 1, scratch.pieces);
    auto lines = text::find_duplicates(scratch.pieces, scratch.table);
    if (exceeds(lines.items, scratch.pieces.size(), dup_line_frac_))
      return Verdict::drop("dup_line_frac");
    if (exceeds(lines.chars, chars, dup_line_char_frac_))
      return Verdict::drop("dup_line_char_frac");

    if (top_ngrams_.empty() && dup_ngrams_.empty()) return Verdict::keep();
    scratch.words.clear();
    text::split_words(text, scratch.words);
    scratch.sequence.assign(scratch.words);
    for (const NgramRule& rule : top_ngrams_) {
      auto top = text::top_ngram_chars(scratch.sequence, rule.n, scratch.table);
      if (exceeds(top, chars, rule.max_fraction)) return Verdict::drop(rule.reason);
    }
    for (const NgramRule& rule : dup_ngrams_) {
      auto repeated = text::duplicate_ngram_chars(scratch.sequence, rule.n, scratch.table);
      if (exceeds(repeated, chars, rule.max_fraction)) return Verdict::drop(rule.reason);
    }
    return Verdict::keep();
  }

 private:
  // A threshold of 0 turns its rule off, as datatrove's None does.
  static bool exceeds(double part, double whole, double max_fraction) {
    return max_fraction > 0 && part / whole > max_fraction;
  }

  double dup_para_frac_;
  double dup_para_char_frac_;
  double dup_line_frac_;
  double dup_line_char_frac_;
  std::vector<NgramRule> top_ngrams_;
  std::vector<NgramRule> dup_ngrams_;
};

std::vector<PluginInfo> plugins() {
  Schema schema{
      param::number("dup_para_frac")
          .fallback(0.3)
          .range(0, 1)
          .doc("drop (dup_para_frac) when more of the paragraphs (split at blank lines) repeat "
               "an earlier one; 0 turns it off"),
      param::number("dup_para_char_frac")
          .fallback(0.2)
          .range(0, 1)
          .doc("drop (dup_para_char_frac) when repeated paragraphs hold more of the characters"),
      param::number("dup_line_frac")
          .fallback(0.3)
          .range(0, 1)
          .doc("drop (dup_line_frac) when more of the lines repeat an earlier line"),
      param::number("dup_line_char_frac")
          .fallback(0.2)
          .range(0, 1)
          .doc("drop (dup_line_char_frac) when repeated lines hold more of the characters"),
      param::any("top_n_grams")
          .fallback_yaml(fraction_map({{"2", "0.20"}, {"3", "0.18"}, {"4", "0.16"}}))
          .doc("{n: fraction}: drop (top_N_gram) when the most frequent n-gram, times its "
               "count, covers more of the characters"),
      param::any("dup_n_grams")
          .fallback_yaml(fraction_map({{"5", "0.15"},
                                       {"6", "0.14"},
                                       {"7", "0.13"},
                                       {"8", "0.12"},
                                       {"9", "0.11"},
                                       {"10", "0.10"}}))
          .doc("{n: fraction}: drop (duplicated_N_n_grams) when n-grams repeating an earlier one "
               "cover more of the characters"),
  };
  return {describe_plugin<GopherRepetition>(
      "gopher_repetition", "1.0",
      "Drops documents with repeated lines, paragraphs or n-grams (Gopher, Rae et al. 2021)",
      std::move(schema))};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
