#pragma once

#include <forge/export.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace forge::bpe {

class RegexSplitter;

// Splits UTF-8 text into the pieces a byte-level BPE encodes one at a time, with exactly the
// semantics of a tiktoken split pattern. Pieces are views into the text that cover every byte
// once, in order; invalid UTF-8 never fails (its bytes are "other" characters to the built-in
// patterns and single-byte pieces to a custom one). Copies are cheap and share state; split()
// may run on many threads at once.
class FORGE_API Pretokenizer {
 public:
  // tiktoken's patterns as hand-written state machines: "gpt2", "r50k_base", "p50k_base",
  // "p50k_edit", "cl100k_base" (or "cl100k"), "o200k_base", "o200k_harmony" (or "o200k").
  static Pretokenizer builtin(std::string_view name);
  // Any pattern, run by PCRE2 with Unicode properties (\s is White_Space, $ the end of the
  // text); text no match covers becomes one-character pieces. Throws forge::Error when invalid.
  static Pretokenizer regex(std::string pattern);
  // A built-in when `pattern` is one of their patterns verbatim (or GPT-2's original, which
  // splits identically), else regex(pattern): what a tokenizer file's pattern should go through.
  static Pretokenizer from_pattern(std::string pattern);
  // The names builtin() accepts.
  static const std::vector<std::string>& builtin_names();

  // Appends the pieces of `text` to `out`.
  void split(std::string_view text, std::vector<std::string_view>& out) const;
  std::vector<std::string_view> split(std::string_view text) const;

  // The regex the pieces follow, for built-ins too.
  const std::string& pattern() const { return pattern_; }
  bool is_builtin() const { return builtin_ != nullptr; }

 private:
  using SplitFunction = void (*)(std::string_view, std::vector<std::string_view>&);
  Pretokenizer(SplitFunction split_function, std::string pattern,
               std::shared_ptr<const RegexSplitter> regex);

  SplitFunction builtin_;  // null for a custom regex
  std::string pattern_;
  std::shared_ptr<const RegexSplitter> regex_;
};

}  // namespace forge::bpe
