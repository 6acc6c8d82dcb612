#include "aho_corasick.h"

#include <algorithm>
#include <deque>

namespace forge::url {

int SubstringMatcher::symbol(char c) {
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= '0' && c <= '9') return 26 + (c - '0');
  return -1;
}

SubstringMatcher::SubstringMatcher() : next_(kAlphabet, 0), accepts_(1, false) {}

SubstringMatcher::SubstringMatcher(const std::vector<std::string>& patterns) : SubstringMatcher() {
  // The trie, with -1 for missing edges.
  std::fill(next_.begin(), next_.end(), -1);
  for (const std::string& pattern : patterns) {
    if (pattern.empty()) continue;
    int state = 0;
    bool valid = true;
    for (char c : pattern) valid = valid && symbol(c) >= 0;
    if (!valid) continue;
    for (char c : pattern) {
      std::int32_t& edge = next_[state * kAlphabet + symbol(c)];
      if (edge < 0) {
        edge = static_cast<std::int32_t>(accepts_.size());
        accepts_.push_back(false);
        next_.resize(next_.size() + kAlphabet, -1);
      }
      state = next_[state * kAlphabet + symbol(c)];
    }
    accepts_[state] = true;
    empty_ = false;
  }
  // Breadth first: a missing edge goes where the failure link's edge goes, and a state accepts
  // when its failure state does (some pattern ends inside the longer match).
  std::vector<std::int32_t> failure(accepts_.size(), 0);
  std::deque<std::int32_t> queue;
  for (int s = 0; s < kAlphabet; ++s) {
    std::int32_t& edge = next_[s];
    if (edge < 0) {
      edge = 0;
    } else {
      queue.push_back(edge);
    }
  }
  while (!queue.empty()) {
    std::int32_t state = queue.front();
    queue.pop_front();
    accepts_[state] = accepts_[state] || accepts_[failure[state]];
    for (int s = 0; s < kAlphabet; ++s) {
      std::int32_t& edge = next_[state * kAlphabet + s];
      std::int32_t fallback = next_[failure[state] * kAlphabet + s];
      if (edge < 0) {
        edge = fallback;
      } else {
        failure[edge] = fallback;
        queue.push_back(edge);
      }
    }
  }
}

bool SubstringMatcher::matches(std::string_view text) const {
  if (empty_) return false;
  std::int32_t state = 0;
  for (char c : text) {
    int s = symbol(c);
    state = s < 0 ? 0 : next_[state * kAlphabet + s];
    if (accepts_[state]) return true;
  }
  return false;
}

}  // namespace forge::url
