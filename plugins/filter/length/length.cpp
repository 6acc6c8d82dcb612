// Filter `length`: drops documents with too few or too many characters or words.
#include <forge/error.h>
#include <forge/filter.h>

#include <cstdint>
#include <optional>
#include <string_view>

namespace forge {
namespace {

// Unicode code points: every byte that does not continue a UTF-8 sequence starts one.
std::int64_t count_chars(std::string_view text) {
  std::int64_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

// The code point at text[i] and its length in bytes; an ill-formed byte reads as itself.
char32_t decode(std::string_view text, std::size_t i, std::size_t& length) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  length = lead < 0x80 || lead >= 0xF8 ? 1
           : lead >= 0xF0              ? 4
           : lead >= 0xE0              ? 3
           : lead >= 0xC0              ? 2
                                       : 1;
  if (i + length > text.size()) length = 1;
  if (length == 1) return lead;
  char32_t value = lead & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      length = 1;
      return lead;
    }
    value = (value << 6) | (byte(i + k) & 0x3F);
  }
  return value;
}

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
    bool space = is_space(decode(text, i, length));
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
      std::int64_t chars = count_chars(document.text);
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
