#pragma once

// Final answers in replies and answer keys, as the reward plugins compare them: the content of
// the last \boxed{...}, the text after the last "####" (GSM8K's convention) or the last number,
// normalised so that "1,234" equals "1234", "3.50" equals "3.5" and "$18." equals "18".

#include <forge/export.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace forge {

// Where extract_answer looks, in the order given.
enum class AnswerSource { boxed, hashes, last_number };

struct ExtractedAnswer {
  std::string text;  // as written, e.g. "1,234" or "\frac{3}{4}"
  AnswerSource source = AnswerSource::last_number;
};

// The answer of `reply` from the first source that has one: the last \boxed{...} (braces
// nested inside are kept), the rest of the line after the last "####", or the last number.
FORGE_API std::optional<ExtractedAnswer> extract_answer(std::string_view reply,
                                                        const std::vector<AnswerSource>& sources = {
                                                            AnswerSource::boxed,
                                                            AnswerSource::hashes,
                                                            AnswerSource::last_number});

// "boxed", "hashes", "last_number"; nullopt for any other name.
FORGE_API std::optional<AnswerSource> parse_answer_source(std::string_view name);

// The value of a text that is one number: sign, thousands commas, decimals, a fraction "3/4"
// or "\frac{3}{4}", a leading "$", a trailing "%" (kept as written: 50% is 50) or period, and
// spaces around. nullopt for anything else ("12 apples", "", "1,23").
FORGE_API std::optional<double> parse_number(std::string_view text);

// The canonical form compared for equality: a number's shortest exact spelling ("3.50" ->
// "3.5", "1,234" -> "1234", "-0" -> "0"), else the text in lower case with \text{}, $ signs
// and a trailing period removed and spaces collapsed.
FORGE_API std::string normalize_answer(std::string_view text);

// Whether two answers are the same once normalised.
FORGE_API bool answers_equal(std::string_view a, std::string_view b);

}  // namespace forge
