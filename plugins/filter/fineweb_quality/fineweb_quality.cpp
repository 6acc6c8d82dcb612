// Filter `fineweb_quality`: FineWeb's own heuristics (Penedo et al. 2024) with datatrove's
// definitions: lines ending in punctuation, short lines, characters in repeated lines, and
// newlines per word.
#include "text_stats/repetition.h"
#include "text_stats/unicode.h"
#include "text_stats/words.h"

#include <forge/error.h>
#include <forge/filter.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace forge {
namespace {

struct Scratch {
  std::vector<std::string_view> lines;
  std::vector<std::string_view> words;
  text::HashCounter table;
};

class FinewebQuality : public Filter {
 public:
  explicit FinewebQuality(const Config& config)
      : line_punct_thr_(config.number("line_punct_thr")),
        line_punct_exclude_zero_(config.boolean("line_punct_exclude_zero")),
        short_line_thr_(config.number("short_line_thr")),
        short_line_length_(static_cast<std::size_t>(config.integer("short_line_length"))),
        char_duplicates_ratio_(config.number("char_duplicates_ratio")),
        new_line_ratio_(config.number("new_line_ratio")) {
    if (config.has("stop_chars")) {
      for (const std::string& stop : config.strings("stop_chars")) {
        if (stop.empty()) config.fail("stop_chars", "holds an empty string; remove it");
        stop_chars_.push_back(stop);
      }
    }
  }

  Verdict apply(Document& document) const override {
    const std::string_view text = document.text;
    thread_local Scratch scratch;
    scratch.lines.clear();
    text::split_on(text, '\n', scratch.lines);
    std::erase_if(scratch.lines, [](std::string_view line) { return text::strip(line).empty(); });
    if (scratch.lines.empty()) return Verdict::drop("empty");
    const double lines = static_cast<double>(scratch.lines.size());

    std::size_t punctuated = 0, short_lines = 0;
    for (std::string_view line : scratch.lines) {
      punctuated += ends_with_stop(line);
      short_lines += text::count_code_points(line) <= short_line_length_;
    }
    double ratio = static_cast<double>(punctuated) / lines;
    if (ratio < line_punct_thr_ && !(ratio == 0 && line_punct_exclude_zero_))
      return Verdict::drop("line_punct_ratio");
    if (static_cast<double>(short_lines) / lines > short_line_thr_)
      return Verdict::drop("short_line_ratio");

    std::size_t newlines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
    double chars = static_cast<double>(text::count_code_points(text) - newlines);
    auto repeated = text::find_duplicates(scratch.lines, scratch.table);
    if (static_cast<double>(repeated.chars) / chars > char_duplicates_ratio_)
      return Verdict::drop("char_dup_ratio");

    scratch.words.clear();
    text::split_words(text, scratch.words);
    if (!scratch.words.empty() &&
        static_cast<double>(newlines) / static_cast<double>(scratch.words.size()) > new_line_ratio_)
      return Verdict::drop("list_ratio");
    return Verdict::keep();
  }

 private:
  // Without stop_chars: any Unicode sentence terminal, as datatrove's TERMINAL_PUNCTUATION.
  bool ends_with_stop(std::string_view line) const {
    if (stop_chars_.empty()) {
      std::size_t start = 0;
      return text::is_sentence_terminal(text::decode_before(line, line.size(), start));
    }
    for (const std::string& stop : stop_chars_)
      if (line.ends_with(stop)) return true;
    return false;
  }

  double line_punct_thr_;
  bool line_punct_exclude_zero_;
  double short_line_thr_;
  std::size_t short_line_length_;
  double char_duplicates_ratio_;
  double new_line_ratio_;
  std::vector<std::string> stop_chars_;
};

std::vector<PluginInfo> plugins() {
  Schema schema{
      param::number("line_punct_thr")
          .fallback(0.12)
          .range(0, 1)
          .doc("drop (line_punct_ratio) when fewer of the non-blank lines end in a stop char"),
      param::boolean("line_punct_exclude_zero")
          .fallback(false)
          .doc("keep documents where no line ends in a stop char (the rule then spares them)"),
      param::string_list("stop_chars")
          .doc("line endings that count as punctuation; unset: Unicode's sentence terminals "
               "(. ! ? \u3002 \uff01 \uff1f \u0964 \u06d4 ...)"),
      param::number("short_line_thr")
          .fallback(0.67)
          .range(0, 1)
          .doc("drop (short_line_ratio) when more of the non-blank lines are short"),
      param::integer("short_line_length")
          .fallback(30)
          .at_least(0)
          .doc("a line of at most this many characters is short"),
      param::number("char_duplicates_ratio")
          .fallback(0.01)
          .range(0, 1)
          .doc("drop (char_dup_ratio) when lines repeating an earlier line hold more of the "
               "characters (newlines not counted)"),
      param::number("new_line_ratio")
          .fallback(0.3)
          .at_least(0)
          .doc("drop (list_ratio) with more newlines per word token"),
  };
  return {describe_plugin<FinewebQuality>(
      "fineweb_quality", "1.0",
      "Drops list-like, unpunctuated or repetitive documents (FineWeb, Penedo et al. 2024)",
      std::move(schema))};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
