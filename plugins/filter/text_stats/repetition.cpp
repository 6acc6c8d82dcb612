#include "text_stats/repetition.h"

#include "text_stats/unicode.h"

namespace forge::text {
namespace {

constexpr std::uint64_t kBase = 0x9e3779b97f4a7c15ULL;  // odd, so powers never vanish

}  // namespace

Duplicates find_duplicates(const std::vector<std::string_view>& items, HashCounter& table) {
  Duplicates found;
  table.reset(items.size());
  for (std::string_view item : items) {
    if (table.insert(hash_bytes(item))) continue;
    ++found.items;
    found.chars += count_code_points(item);
  }
  return found;
}

void WordSequence::assign(const std::vector<std::string_view>& words) {
  prefix_.assign(1, 0);
  powers_.assign(1, 1);
  lengths_.assign(1, 0);
  prefix_.reserve(words.size() + 1);
  powers_.reserve(words.size() + 1);
  lengths_.reserve(words.size() + 1);
  for (std::string_view word : words) {
    prefix_.push_back(prefix_.back() * kBase + hash_bytes(word));
    powers_.push_back(powers_.back() * kBase);
    lengths_.push_back(lengths_.back() + count_code_points(word));
  }
}

std::uint64_t WordSequence::hash(std::size_t start, std::size_t n) const {
  return mix(prefix_[start + n] - prefix_[start] * powers_[n]);
}

std::size_t top_ngram_chars(const WordSequence& words, std::size_t n, HashCounter& table) {
  if (n == 0 || words.size() < n) return 0;
  std::size_t count = words.size() - n + 1;
  table.reset(count);
  for (std::size_t start = 0; start < count; ++start)
    table.add(words.hash(start, n), static_cast<std::uint32_t>(start));
  const HashCounter::Slot* best = nullptr;
  for (const HashCounter::Slot& slot : table.slots()) {
    if (slot.count == 0) continue;
    if (!best || slot.count > best->count ||
        (slot.count == best->count && slot.first < best->first))
      best = &slot;
  }
  return (words.chars(best->first, n) + n - 1) * best->count;
}

std::size_t duplicate_ngram_chars(const WordSequence& words, std::size_t n, HashCounter& table) {
  if (n == 0 || words.size() < n) return 0;
  std::size_t count = words.size() - n + 1;
  table.reset(count);
  std::size_t repeated = 0;
  for (std::size_t start = 0; start < count;) {
    if (table.insert(words.hash(start, n))) {
      ++start;
    } else {
      repeated += words.chars(start, n);
      start += n;
    }
  }
  return repeated;
}

}  // namespace forge::text
