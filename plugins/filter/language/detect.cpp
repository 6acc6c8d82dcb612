#include "detect.h"

#include <cstdio>  // compact_lang_det.h uses FILE without including it

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

#include <algorithm>
#include <climits>
#include <string>

namespace forge::language {
namespace {

// Copies `text` into `out` with every byte that does not belong to a well-formed,
// interchange-valid UTF-8 sequence (no surrogates, controls or noncharacters) made a space.
void blank_invalid(std::string_view text, std::string& out) {
  out.assign(text);
  std::size_t i = 0;
  while (i < out.size()) {
    auto b = static_cast<unsigned char>(out[i]);
    if (b < 0x80) {
      if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7F) out[i] = ' ';
      ++i;
      continue;
    }
    std::size_t length = b >= 0xC2 && b <= 0xDF   ? 2
                         : b >= 0xE0 && b <= 0xEF ? 3
                         : b >= 0xF0 && b <= 0xF4 ? 4
                                                  : 0;
    char32_t c = length == 0 ? 0 : b & (0x7F >> length);
    bool ok = length > 0 && i + length <= out.size();
    for (std::size_t k = 1; ok && k < length; ++k) {
      auto next = static_cast<unsigned char>(out[i + k]);
      ok = (next & 0xC0) == 0x80;
      c = (c << 6) | (next & 0x3F);
    }
    ok = ok && !(length == 3 && c < 0x800) && !(length == 4 && (c < 0x10000 || c > 0x10FFFF)) &&
         !(c >= 0xD800 && c <= 0xDFFF) && !(c >= 0x80 && c <= 0x9F) &&
         !(c >= 0xFDD0 && c <= 0xFDEF) && (c & 0xFFFE) != 0xFFFE;
    if (!ok) {
      out[i++] = ' ';
      continue;
    }
    i += length;
  }
}

}  // namespace

Detection detect(std::string_view text, bool plain_text) {
  thread_local std::string clean;
  blank_invalid(text.substr(0, std::min<std::size_t>(text.size(), INT_MAX)), clean);
  CLD2::CLDHints hints{nullptr, nullptr, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
  CLD2::Language languages[3];
  int percents[3] = {0, 0, 0};
  double scores[3];
  Detection found;
  int valid_prefix = 0;
  CLD2::Language top = CLD2::ExtDetectLanguageSummaryCheckUTF8(
      clean.data(), static_cast<int>(clean.size()), plain_text, &hints, 0, languages, percents,
      scores, nullptr, &found.text_bytes, &found.reliable, &valid_prefix);
  if (top == CLD2::UNKNOWN_LANGUAGE) return found;
  found.code = CLD2::LanguageCode(top);
  // The top language's share of the text CLD2 could attribute, its script variants (zh-Hant
  // beside zh) counted with it; text left unknown does not count against it.
  int same = 0, identified = 0;
  for (int k = 0; k < 3; ++k) {
    if (languages[k] == CLD2::UNKNOWN_LANGUAGE) continue;
    identified += percents[k];
    if (base_code(CLD2::LanguageCode(languages[k])) == base_code(found.code)) same += percents[k];
  }
  found.score = identified > 0 ? static_cast<double>(same) / identified : 0.0;
  // CLD2 keeps a few legacy codes.
  if (found.code == "iw") found.code = "he";
  if (found.code == "jw") found.code = "jv";
  return found;
}

std::string_view base_code(std::string_view code) { return code.substr(0, code.find('-')); }

}  // namespace forge::language
