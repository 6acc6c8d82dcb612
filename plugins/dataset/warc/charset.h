#pragma once

#include <string>
#include <string_view>

namespace forge::warc {

// The canonical (WHATWG, lowercased) name of a charset label such as "latin1", "SJIS" or
// "gb2312"; a label glibc's iconv knows but the table does not comes back lowercased; an unusable
// label gives "".
std::string canonical_charset(std::string_view label);

// The charset of a payload, as a browser would pick it: a byte order mark, else the declared
// charset (HTTP or WARC Content-Type), else for HTML a <meta> charset or XML declaration in the
// first 4 KB, else UTF-8 when the bytes are valid UTF-8, else windows-1252. `cut`: the payload
// was truncated, so an incomplete character at its end is not evidence against UTF-8.
std::string detect_charset(std::string_view payload, std::string_view declared, bool html,
                           bool cut);

// `payload` in `charset` (a canonical name) decoded to UTF-8, without a byte order mark.
// Invalid sequences become U+FFFD; with `cut`, an incomplete character at the end is dropped.
std::string decode_to_utf8(std::string&& payload, const std::string& charset, bool cut);

}  // namespace forge::warc
