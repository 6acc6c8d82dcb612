#pragma once

#include <string>
#include <string_view>

namespace forge::language {

// What CLD2 says about a text.
struct Detection {
  std::string code = "un";  // ISO 639-1 where there is one ("en", "zh", "zh-Hant"); "un": unknown
  // How much of the text is in `code`, 0..1: CLD2 reports the percentages of the text's letters
  // (bytes, tags skipped) in its top three languages; the score is the percentages of `code`
  // and its script variants (zh-Hant for zh) over the sum of the three. 0 when unknown.
  double score = 0;
  bool reliable = false;  // CLD2's is_reliable: the top language clearly beats the second
  int text_bytes = 0;     // letters CLD2 scored
};

// Identifies the language of UTF-8 `text` with CLD2. Ill-formed UTF-8 and control characters
// are blanked first (CLD2 refuses text that is not interchange-valid). `plain_text` false lets
// CLD2 skip HTML tags and expand entities. Thread-safe.
Detection detect(std::string_view text, bool plain_text);

// The language part of a code: "zh-Hant" -> "zh".
std::string_view base_code(std::string_view code);

}  // namespace forge::language
