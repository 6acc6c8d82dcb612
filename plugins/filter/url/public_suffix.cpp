#include "public_suffix.h"

#include <forge/error.h>

#include <fstream>
#include <iterator>

namespace forge::url {

PublicSuffixList PublicSuffixList::load(const std::filesystem::path& file, bool private_domains) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw Error(cat("cannot read the Public Suffix List '", file.string(),
                    "': install Debian's publicsuffix package or set public_suffix_list"));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parse(text, private_domains);
}

PublicSuffixList PublicSuffixList::parse(std::string_view text, bool private_domains) {
  PublicSuffixList list;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (line.starts_with("// ===BEGIN PRIVATE DOMAINS===") && !private_domains) break;
    std::size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos || line.substr(first).starts_with("//")) continue;
    line = line.substr(first);
    line = line.substr(0, line.find_first_of(" \t\r"));  // a rule is the line's first word
    std::string rule(line);
    for (char& c : rule) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
    if (rule.starts_with("!")) {
      list.exceptions_.insert(rule.substr(1));
    } else if (rule.starts_with("*.")) {
      list.wildcards_.insert(rule.substr(2));
    } else {
      list.rules_.insert(std::move(rule));
    }
  }
  return list;
}

std::string_view PublicSuffixList::registered_domain(std::string_view host) const {
  if (host.empty()) return {};
  // Suffixes from the longest (the host itself) to the shortest; the first rule that matches is
  // the longest, and an exception rule beats every other.
  std::size_t suffix = std::string_view::npos;  // where the public suffix starts
  std::size_t label = 0;
  while (true) {
    std::string_view candidate = host.substr(label);
    std::size_t dot = candidate.find('.');
    if (exceptions_.contains(candidate)) {
      suffix = dot == std::string_view::npos ? host.size() : label + dot + 1;
      break;
    }
    if (suffix == std::string_view::npos) {
      if (rules_.contains(candidate)) suffix = label;
      if (dot != std::string_view::npos && wildcards_.contains(candidate.substr(dot + 1)))
        suffix = label;
    }
    if (dot == std::string_view::npos) break;
    label += dot + 1;
  }
  if (suffix == std::string_view::npos) suffix = host.rfind('.') + 1;  // rule "*" (npos + 1 == 0)
  if (suffix < 2 || suffix >= host.size()) return {};  // the host is a public suffix
  std::size_t previous = host.rfind('.', suffix - 2);
  return host.substr(previous == std::string_view::npos ? 0 : previous + 1);
}

}  // namespace forge::url
