// Filter `c4_quality`: C4's cleaning rules (Raffel et al. 2020) with datatrove's defaults. It
// rewrites a document down to its lines that look like prose and drops documents with code,
// placeholder text or too few sentences left.
#include "sentences.h"
#include "text_stats/unicode.h"
#include "text_stats/words.h"

#include <forge/error.h>
#include <forge/filter.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace forge {
namespace {

// Removes Wikipedia-style markers: [1], [23], [], [edit], [citation needed].
void remove_citations(std::string_view line, std::string& out) {
  out.clear();
  std::size_t i = 0;
  while (i < line.size()) {
    std::size_t open = line.find('[', i);
    if (open == std::string_view::npos) break;
    out.append(line.substr(i, open - i));
    std::size_t j = open + 1;
    while (j < line.size() && line[j] >= '0' && line[j] <= '9') ++j;
    std::size_t end = std::string_view::npos;
    if (j < line.size() && line[j] == ']') {
      end = j + 1;
    } else if (line.substr(open + 1).starts_with("edit]")) {
      end = open + 6;
    } else if (line.substr(open + 1).starts_with("citation needed]")) {
      end = open + 17;
    }
    if (end == std::string_view::npos) {
      out.push_back('[');
      i = open + 1;
    } else {
      i = end;
    }
  }
  out.append(line.substr(i));
}

// datatrove's END_PUNCTUATION: . ? ! " ' but not an ellipsis.
bool ends_in_terminal_punctuation(std::string_view line) {
  if (line.empty() || line.ends_with("...")) return false;
  char last = line.back();
  return last == '.' || last == '?' || last == '!' || last == '"' || last == '\'';
}

struct Scratch {
  std::vector<std::string_view> lines;
  std::vector<std::string_view> words;
  std::string cleaned;
  std::string lower;
  std::string kept;
};

class C4Quality : public Filter {
 public:
  explicit C4Quality(const Config& config)
      : remove_citations_(config.boolean("remove_citations")),
        filter_no_terminal_punct_(config.boolean("filter_no_terminal_punct")),
        min_num_sentences_(config.integer("min_num_sentences")),
        min_words_per_line_(config.integer("min_words_per_line")),
        max_word_length_(config.integer("max_word_length")),
        filter_lorem_ipsum_(config.boolean("filter_lorem_ipsum")),
        filter_javascript_(config.boolean("filter_javascript")),
        filter_curly_bracket_(config.boolean("filter_curly_bracket")),
        filter_policy_(config.boolean("filter_policy")) {
    for (const std::string& phrase : config.strings("policy_phrases")) {
      if (phrase.empty()) config.fail("policy_phrases", "holds an empty phrase; remove it");
      std::string lower;
      text::lower_ascii(phrase, lower);
      policy_phrases_.push_back(std::move(lower));
    }
  }

  Verdict apply(Document& document) const override {
    thread_local Scratch scratch;
    scratch.lines.clear();
    scratch.kept.clear();
    text::split_lines(document.text, scratch.lines);
    std::int64_t sentences = 0;
    for (std::string_view raw : scratch.lines) {
      std::string_view line = text::strip(raw);
      scratch.words.clear();
      text::split_whitespace(line, scratch.words);
      if (max_word_length_ > 0 && has_long_word(scratch.words)) continue;
      if (remove_citations_ && line.find('[') != std::string_view::npos) {
        remove_citations(line, scratch.cleaned);
        line = scratch.cleaned;
      }
      if (filter_no_terminal_punct_ && !ends_in_terminal_punctuation(line)) continue;
      if (static_cast<std::int64_t>(scratch.words.size()) < min_words_per_line_) continue;
      text::lower_ascii(line, scratch.lower);
      std::string_view lower = scratch.lower;
      if (filter_lorem_ipsum_ && lower.find("lorem ipsum") != std::string_view::npos)
        return Verdict::drop("lorem_ipsum");
      if (filter_javascript_ && lower.find("javascript") != std::string_view::npos) continue;
      if (filter_curly_bracket_ && line.find('{') != std::string_view::npos)
        return Verdict::drop("curly_bracket");
      if (filter_policy_ && has_policy_phrase(lower)) continue;
      if (min_num_sentences_ > 0) sentences += count_sentences(line);
      scratch.kept.append(line).push_back('\n');
    }
    if (sentences < min_num_sentences_) return Verdict::drop("too_few_sentences");
    std::string_view kept = text::strip(scratch.kept);
    if (kept.empty()) return Verdict::drop("empty");
    if (kept == document.text) return Verdict::keep();
    document.text.assign(kept);
    return Verdict::rewritten();
  }

 private:
  bool has_long_word(const std::vector<std::string_view>& words) const {
    for (std::string_view word : words)
      if (word.size() > static_cast<std::size_t>(max_word_length_) &&
          text::count_code_points(word) > static_cast<std::size_t>(max_word_length_))
        return true;
    return false;
  }

  bool has_policy_phrase(std::string_view lower) const {
    for (const std::string& phrase : policy_phrases_)
      if (lower.find(phrase) != std::string_view::npos) return true;
    return false;
  }

  bool remove_citations_;
  bool filter_no_terminal_punct_;
  std::int64_t min_num_sentences_;
  std::int64_t min_words_per_line_;
  std::int64_t max_word_length_;
  bool filter_lorem_ipsum_;
  bool filter_javascript_;
  bool filter_curly_bracket_;
  bool filter_policy_;
  std::vector<std::string> policy_phrases_;
};

std::vector<PluginInfo> plugins() {
  Schema schema{
      param::boolean("remove_citations")
          .fallback(true)
          .doc("remove [1], [edit] and [citation needed] markers from every line"),
      param::boolean("filter_no_terminal_punct")
          .fallback(true)
          .doc("remove lines that do not end in . ? ! \" or ' (or that end in ...)"),
      param::integer("min_num_sentences")
          .fallback(5)
          .at_least(0)
          .doc("drop (too_few_sentences) with fewer sentences in the kept lines; 0 turns it off"),
      param::integer("min_words_per_line")
          .fallback(3)
          .at_least(0)
          .doc("remove lines with fewer whitespace-separated words"),
      param::integer("max_word_length")
          .fallback(1000)
          .at_least(0)
          .doc("remove lines with a longer word (in characters); 0 turns it off"),
      param::boolean("filter_lorem_ipsum")
          .fallback(true)
          .doc("drop (lorem_ipsum) documents where a kept line says 'lorem ipsum'"),
      param::boolean("filter_javascript")
          .fallback(true)
          .doc("remove lines that mention 'javascript' (any case)"),
      param::boolean("filter_curly_bracket")
          .fallback(true)
          .doc("drop (curly_bracket) documents where a kept line holds '{'"),
      param::boolean("filter_policy")
          .fallback(true)
          .doc("remove lines holding any of policy_phrases (any case)"),
      param::string_list("policy_phrases")
          .fallback(std::vector<std::string>{"terms of use", "privacy policy", "cookie policy",
                                             "uses cookies", "use of cookies", "use cookies"})
          .doc("boilerplate phrases for filter_policy"),
  };
  return {describe_plugin<C4Quality>(
      "c4_quality", "1.0",
      "Keeps a document's prose lines and drops code and boilerplate (C4, Raffel et al. 2020)",
      std::move(schema))};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
