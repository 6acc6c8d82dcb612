#pragma once

#include <string>
#include <string_view>
#include <vector>

struct pcre2_real_code_8;

namespace forge::bpe {

// A split pattern compiled by PCRE2 (UTF, Unicode properties, JIT), matched repeatedly from the
// end of the previous match the way tiktoken's find_iter does. Text no match covers becomes
// one-character pieces, and invalid UTF-8 one-byte pieces, so the pieces cover every byte.
// Immutable once built, so one splitter serves any number of threads.
class RegexSplitter {
 public:
  // Throws forge::Error naming PCRE2's message and the offset in the pattern.
  explicit RegexSplitter(const std::string& pattern);
  ~RegexSplitter();
  RegexSplitter(const RegexSplitter&) = delete;
  RegexSplitter& operator=(const RegexSplitter&) = delete;

  void split(std::string_view text, std::vector<std::string_view>& out) const;

 private:
  pcre2_real_code_8* code_;
};

}  // namespace forge::bpe
