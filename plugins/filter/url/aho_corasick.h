#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace forge::url {

// Finds whether any of many patterns occurs in a text, in one pass over the text whatever the
// number of patterns (Aho and Corasick 1975). Patterns and text are lowercase ASCII letters and
// digits (squeezed URLs); other bytes never match.
class SubstringMatcher {
 public:
  SubstringMatcher();
  explicit SubstringMatcher(const std::vector<std::string>& patterns);

  bool empty() const { return empty_; }
  // True when some pattern occurs in `text`.
  bool matches(std::string_view text) const;

 private:
  static constexpr int kAlphabet = 36;
  static int symbol(char c);

  // A deterministic automaton: next_[state * kAlphabet + symbol], with failure links folded in.
  std::vector<std::int32_t> next_;
  std::vector<bool> accepts_;
  bool empty_ = true;
};

}  // namespace forge::url
