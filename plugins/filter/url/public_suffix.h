#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_set>

namespace forge::url {

// Hash and equality that let an unordered_set<std::string> be searched with a string_view.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>{}(text);
  }
};
using StringSet = std::unordered_set<std::string, StringHash, std::equal_to<>>;

// The Public Suffix List (publicsuffix.org; Debian's publicsuffix package): which suffixes
// anyone can register names under (com, co.uk, *.ck but not www.ck), so that the registered
// domain of forums.bbc.co.uk is bbc.co.uk.
class PublicSuffixList {
 public:
  // Reads the list's text format. `private_domains` also takes the list's private section
  // (blogspot.com, github.io: each user's site counts as its own registered domain).
  static PublicSuffixList load(const std::filesystem::path& file, bool private_domains);
  static PublicSuffixList parse(std::string_view text, bool private_domains);

  // The public suffix plus one label: "a.b.example.co.uk" -> "example.co.uk". Empty for a host
  // that is itself a public suffix. Without a matching rule the last label is the suffix (the
  // list's implicit "*" rule). Rules are matched as written: IDN hosts must be in Unicode.
  std::string_view registered_domain(std::string_view host) const;

  std::size_t size() const { return rules_.size() + wildcards_.size() + exceptions_.size(); }

 private:
  StringSet rules_;       // "co.uk"
  StringSet wildcards_;   // "*.ck" stored as "ck"
  StringSet exceptions_;  // "!www.ck" stored as "www.ck"
};

}  // namespace forge::url
