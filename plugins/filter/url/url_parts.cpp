#include "url_parts.h"

namespace forge::url {
namespace {

bool is_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

bool is_scheme(std::string_view text) {
  if (text.empty() || !((text[0] | 0x20) >= 'a' && (text[0] | 0x20) <= 'z')) return false;
  for (char c : text)
    if (!is_alnum(c) && c != '+' && c != '-' && c != '.') return false;
  return true;
}

}  // namespace

std::string host_of(std::string_view url) {
  while (!url.empty() && (url.front() == ' ' || url.front() == '\t')) url.remove_prefix(1);
  std::size_t scheme_end = url.find("://");
  if (scheme_end != std::string_view::npos && is_scheme(url.substr(0, scheme_end))) {
    url.remove_prefix(scheme_end + 3);
  } else if (url.starts_with("//")) {
    url.remove_prefix(2);
  }
  std::string_view authority = url.substr(0, url.find_first_of("/?#\\ \t\r\n"));
  std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string_view host;
  if (authority.starts_with('[')) {
    std::size_t close = authority.find(']');
    host = close == std::string_view::npos ? std::string_view{} : authority.substr(1, close - 1);
  } else {
    host = authority.substr(0, authority.find(':'));
  }
  while (host.ends_with('.')) host.remove_suffix(1);
  std::string out(host);
  for (char& c : out) c = lower(c);
  return out;
}

bool is_ip_literal(std::string_view host) {
  if (host.find(':') != std::string_view::npos) return true;
  int dots = 0;
  for (char c : host) {
    if (c == '.') {
      ++dots;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return dots == 3;
}

void url_words(std::string_view url, std::string& lower_url, std::vector<std::string_view>& words) {
  lower_url.resize(url.size());
  for (std::size_t i = 0; i < url.size(); ++i) lower_url[i] = lower(url[i]);
  std::string_view text = lower_url;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !is_alnum(text[i])) ++i;
    std::size_t start = i;
    while (i < text.size() && is_alnum(text[i])) ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
}

std::string squeeze(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text)
    if (is_alnum(c)) out.push_back(lower(c));
  return out;
}

}  // namespace forge::url
