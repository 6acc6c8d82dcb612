// Filter `length`: drops documents with too few or too many characters or words.
#include <forge/error.h>
#include <forge/filter.h>
#include <forge/utf8.h>

#include <cstdint>
#include <optional>
#include <string_view>

namespace forge {
namespace {

// Unicode's White_Space property.
bool is_space(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

// Words are maximal runs of non-whitespace code points.
std::int64_t count_words(std::string_view text) {
  std::int64_t count = 0;
  bool in_word = false;
  for (std::size_t i = 0, length = 0; i < text.size(); i += length) {
    bool space = is_space(decode_utf8(text, i, length));
    count += !space && !in_word;
    in_word = !space;
  }
  return count;
}

std::optional<std::int64_t> optional_integer(const Config& config, std::string_view key) {
  if (!config.has(key)) return std::nullopt;
  return config.integer(key);
}

class Length : public Filter {
 public:
  explicit Length(const Config& config)
      : min_chars_(config.integer("min_chars")),
        max_chars_(optional_integer(config, "max_chars")),
        min_words_(config.integer("min_words")),
        max_words_(optional_integer(config, "max_words")) {
    if (max_chars_ && *max_chars_ < min_chars_) {
      config.fail("max_chars", cat("must be at least min_chars (", min_chars_, ")"));
    }
    if (max_words_ && *max_words_ < min_words_) {
      config.fail("max_words", cat("must be at least min_words (", min_words_, ")"));
    }
  }

  Verdict apply(Document& document) const override {
    if (min_chars_ > 0 || max_chars_) {
      std::int64_t chars = static_cast<std::int64_t>(count_code_points(document.text));
      if (chars < min_chars_) return Verdict::drop("too_short");
      if (max_chars_ && chars > *max_chars_) return Verdict::drop("too_long");
    }
    if (min_words_ > 0 || max_words_) {
      std::int64_t words = count_words(document.text);
      if (words < min_words_) return Verdict::drop("too_few_words");
      if (max_words_ && words > *max_words_) return Verdict::drop("too_many_words");
    }
    return Verdict::keep();
  }

 private:
  std::int64_t min_chars_;
  std::optional<std::int64_t> max_chars_;
  std::int64_t min_words_;
  std::optional<std::int64_t> max_words_;
};

std::vector<PluginInfo> plugins() {
  Schema schema{
      param::integer("min_chars")
          .fallback(0)
          .at_least(0)
          .doc("documents with fewer characters (Unicode code points) are dropped as too_short"),
      param::integer("max_chars")
          .at_least(0)
          .doc("documents with more characters are dropped as too_long; no limit when unset"),
      param::integer("min_words")
          .fallback(0)
          .at_least(0)
          .doc("documents with fewer words (runs of non-whitespace) are dropped as too_few_words"),
      param::integer("max_words")
          .at_least(0)
          .doc("documents with more words are dropped as too_many_words; no limit when unset"),
  };
  return {describe_plugin<Length>("length", "1.0",
                                  "Drops documents outside character and word count bounds",
                                  std::move(schema))};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
