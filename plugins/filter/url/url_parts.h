#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace forge::url {

// The host of a URL, lowercased, without userinfo, port, brackets or a trailing dot:
// "https://User@WWW.Example.com.:8080/a" -> "www.example.com". A URL without "scheme://" is
// read from its first character ("example.com/a"). Empty when there is none.
std::string host_of(std::string_view url);

// True when `host` is an IPv4 or IPv6 literal (no parent domains, no public suffix).
bool is_ip_literal(std::string_view host);

// The words of a URL: its runs of ASCII letters and digits, lowercased (datatrove splits at
// [^a-zA-Z0-9]+). `lower` receives the lowercased URL; the words are views into it.
void url_words(std::string_view url, std::string& lower, std::vector<std::string_view>& words);

// Lowercase ASCII letters and digits only: "Free-Casino.com" -> "freecasinocom".
std::string squeeze(std::string_view text);

}  // namespace forge::url
