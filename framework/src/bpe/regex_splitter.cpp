#include "bpe/regex_splitter.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <forge/error.h>

#include <algorithm>
#include <cstdint>

#include "bpe/unicode.h"

#ifndef PCRE2_MATCH_INVALID_UTF
#error "the regex pre-tokenizer needs PCRE2 10.34 or newer (PCRE2_MATCH_INVALID_UTF)"
#endif

namespace forge::bpe {

namespace {

std::string error_message(int code) {
  PCRE2_UCHAR buffer[256];
  if (pcre2_get_error_message(code, buffer, sizeof buffer) < 0) return cat("PCRE2 error ", code);
  return reinterpret_cast<const char*>(buffer);
}

// Per-thread match state: room for the whole match's offsets, and a JIT stack larger than
// PCRE2's 32 KiB default so that long runs under nested groups do not fail.
struct MatchState {
  pcre2_match_data* data = pcre2_match_data_create(1, nullptr);
  pcre2_match_context* context = pcre2_match_context_create(nullptr);
  pcre2_jit_stack* stack = pcre2_jit_stack_create(32 * 1024, 16 * 1024 * 1024, nullptr);

  MatchState() {
    FORGE_CHECK(data && context && stack, "out of memory for PCRE2 match state");
    pcre2_jit_stack_assign(context, nullptr, stack);
  }
  ~MatchState() {
    pcre2_jit_stack_free(stack);
    pcre2_match_context_free(context);
    pcre2_match_data_free(data);
  }
  MatchState(const MatchState&) = delete;
  MatchState& operator=(const MatchState&) = delete;
};

MatchState& match_state() {
  thread_local MatchState state;
  return state;
}

// Appends [from, to) as one piece per character (per byte where the UTF-8 is invalid).
void append_characters(const char* from, const char* to, std::vector<std::string_view>& out) {
  while (from < to) {
    const auto size = std::min<std::ptrdiff_t>(decode_utf8(from, to).size, to - from);
    out.emplace_back(from, static_cast<std::size_t>(size));
    from += size;
  }
}

}  // namespace

RegexSplitter::RegexSplitter(const std::string& pattern) {
  // $ means the end of the text, as in Rust's regex crate that tiktoken uses; invalid UTF-8 in
  // the text is never matched instead of being an error.
  constexpr std::uint32_t kOptions =
      PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF | PCRE2_DOLLAR_ENDONLY;
  int code = 0;
  PCRE2_SIZE offset = 0;
  code_ = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), kOptions,
                        &code, &offset, nullptr);
  if (!code_) {
    throw Error(cat("[pretokenizer] bad split pattern at offset ", offset, ": ",
                    error_message(code), "\n  pattern: ", pattern, "\n  here:    ",
                    std::string(std::min<std::size_t>(offset, pattern.size()), ' '), "^"));
  }
  // Without JIT (unsupported CPU, no executable memory) pcre2_match interprets: slower only.
  pcre2_jit_compile(code_, PCRE2_JIT_COMPLETE);
}

RegexSplitter::~RegexSplitter() { pcre2_code_free(code_); }

void RegexSplitter::split(std::string_view text, std::vector<std::string_view>& out) const {
  MatchState& state = match_state();
  const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
  const char* const begin = text.data();
  const char* const end = begin + text.size();
  std::size_t pos = 0;
  while (pos < text.size()) {
    const int rc = pcre2_match(code_, subject, text.size(), pos, 0, state.data, state.context);
    if (rc == PCRE2_ERROR_NOMATCH) break;
    if (rc < 0) {
      throw Error(cat("[pretokenizer] split pattern failed at byte ", pos, " of a ", text.size(),
                      "-byte text: ", error_message(rc)));
    }
    const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(state.data);
    const std::size_t start = ovector[0];
    const std::size_t stop = ovector[1];
    FORGE_CHECK(pos <= start && start <= stop && stop <= text.size(), "PCRE2 match [", start, ", ",
                stop, ") outside [", pos, ", ", text.size(), ")");
    append_characters(begin + pos, begin + start, out);
    if (stop > start) {
      out.emplace_back(begin + start, stop - start);
      pos = stop;
    } else if (start < text.size()) {
      // An empty match: like find_iter, search on after the next character, which no match
      // then covers.
      const auto size = decode_utf8(begin + start, end).size;
      out.emplace_back(begin + start, size);
      pos = start + size;
    } else {
      pos = start;
    }
  }
  append_characters(begin + pos, end, out);
}

}  // namespace forge::bpe
