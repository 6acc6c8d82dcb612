#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace forge::warc {

// The length of the longest prefix of `text` that is valid UTF-8.
std::size_t valid_utf8_prefix(std::string_view text);

// `text` with each maximal ill-formed subsequence replaced by U+FFFD, as Unicode recommends; with
// `cut`, an incomplete character at the very end is dropped instead.
std::string repair_utf8(std::string&& text, bool cut);

// windows-1252 (what browsers use for latin1 and ascii) to UTF-8, built in: it is the fallback
// for every page that is not valid UTF-8, so it must not depend on iconv.
std::string decode_windows_1252(std::string&& bytes);

// Decodes with glibc's iconv, converters cached per thread; invalid input becomes U+FFFD. False
// when iconv has no such charset.
bool decode_with_iconv(const std::string& name, std::string_view bytes, bool cut, std::string& out);
bool iconv_available(const std::string& name);

}  // namespace forge::warc
