#pragma once

#include <forge/utf8.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace forge::warc {

// Validation and repair are the SDK's: forge::valid_utf8_prefix, forge::repair_utf8.
using forge::repair_utf8;
using forge::valid_utf8_prefix;

// windows-1252 (what browsers use for latin1 and ascii) to UTF-8, built in: it is the fallback
// for every page that is not valid UTF-8, so it must not depend on iconv.
std::string decode_windows_1252(std::string&& bytes);

// Decodes with glibc's iconv, converters cached per thread; invalid input becomes U+FFFD. False
// when iconv has no such charset.
bool decode_with_iconv(const std::string& name, std::string_view bytes, bool cut, std::string& out);
bool iconv_available(const std::string& name);

}  // namespace forge::warc
