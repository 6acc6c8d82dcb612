#include "bpe/bpe_encode.h"

#include <algorithm>
#include <limits>
#include <queue>

namespace forge::bpe {
namespace {

constexpr TokenId kNone = std::numeric_limits<TokenId>::max();
// Pieces longer than this go through the heap; shorter ones scan, which is faster there.
constexpr std::size_t kScanLimit = 96;

TokenId merge_rank(const Vocabulary& vocabulary, TokenId a, TokenId b) {
  const TokenId merged = vocabulary.merged(a, b);
  return merged < 0 ? kNone : merged;
}

void by_heap(const Vocabulary& vocabulary, std::string_view piece, std::vector<TokenId>& out) {
  const auto n = static_cast<std::int32_t>(piece.size());
  std::vector<TokenId> ids(piece.size());
  std::vector<std::int32_t> prev(piece.size()), next(piece.size());
  for (std::int32_t i = 0; i < n; ++i) {
    ids[i] = vocabulary.byte_token(static_cast<unsigned char>(piece[i]));
    prev[i] = i - 1;
    next[i] = i + 1 < n ? i + 1 : -1;
  }
  // (rank, left node): lowest rank first, then the leftmost node, as the scans choose.
  struct Entry {
    TokenId rank;
    std::int32_t left;
    TokenId left_id, right_id;
    bool operator>(const Entry& other) const {
      return rank != other.rank ? rank > other.rank : left > other.left;
    }
  };
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap;
  auto push = [&](std::int32_t left) {
    if (left < 0 || next[left] < 0) return;
    const TokenId rank = merge_rank(vocabulary, ids[left], ids[next[left]]);
    if (rank != kNone) heap.push({rank, left, ids[left], ids[next[left]]});
  };
  for (std::int32_t i = 0; i + 1 < n; ++i) push(i);
  std::vector<bool> alive(piece.size(), true);
  while (!heap.empty()) {
    const Entry top = heap.top();
    heap.pop();
    const std::int32_t left = top.left, right = next[left];
    // Entries whose nodes merged since they were pushed are stale.
    if (!alive[left] || right < 0 || ids[left] != top.left_id || ids[right] != top.right_id)
      continue;
    ids[left] = top.rank;
    alive[right] = false;
    next[left] = next[right];
    if (next[right] >= 0) prev[next[right]] = left;
    push(prev[left]);
    push(left);
  }
  for (std::int32_t i = 0; i >= 0; i = next[i]) out.push_back(ids[i]);
}

}  // namespace

void encode_piece_by_scans(const Vocabulary& vocabulary, std::string_view piece,
                           std::vector<TokenId>& out) {
  std::vector<TokenId> ids(piece.size()), ranks(piece.size());
  for (std::size_t i = 0; i < piece.size(); ++i)
    ids[i] = vocabulary.byte_token(static_cast<unsigned char>(piece[i]));
  std::size_t count = ids.size();
  for (std::size_t i = 0; i + 1 < count; ++i) ranks[i] = merge_rank(vocabulary, ids[i], ids[i + 1]);
  if (count) ranks[count - 1] = kNone;
  while (count > 1) {
    std::size_t best = 0;
    for (std::size_t i = 1; i + 1 < count; ++i)
      if (ranks[i] < ranks[best]) best = i;
    if (ranks[best] == kNone) break;
    ids[best] = ranks[best];
    std::copy(ids.begin() + static_cast<std::ptrdiff_t>(best) + 2,
              ids.begin() + static_cast<std::ptrdiff_t>(count),
              ids.begin() + static_cast<std::ptrdiff_t>(best) + 1);
    std::copy(ranks.begin() + static_cast<std::ptrdiff_t>(best) + 2,
              ranks.begin() + static_cast<std::ptrdiff_t>(count),
              ranks.begin() + static_cast<std::ptrdiff_t>(best) + 1);
    --count;
    ranks[count - 1] = kNone;
    if (best + 1 < count)
      ranks[best] = merge_rank(vocabulary, ids[best], ids[best + 1]);
    else
      ranks[best] = kNone;
    if (best > 0) ranks[best - 1] = merge_rank(vocabulary, ids[best - 1], ids[best]);
  }
  out.insert(out.end(), ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(count));
}

void encode_piece(const Vocabulary& vocabulary, std::string_view piece, std::vector<TokenId>& out) {
  if (piece.empty()) return;
  if (piece.size() == 1) {
    out.push_back(vocabulary.byte_token(static_cast<unsigned char>(piece[0])));
    return;
  }
  if (auto whole = vocabulary.find(piece)) {  // most words are one token
    out.push_back(*whole);
    return;
  }
  if (piece.size() > kScanLimit) return by_heap(vocabulary, piece, out);
  // Scans over small stack arrays: the common case after the whole-piece lookup.
  TokenId ids[kScanLimit], ranks[kScanLimit];
  std::size_t count = piece.size();
  for (std::size_t i = 0; i < count; ++i)
    ids[i] = vocabulary.byte_token(static_cast<unsigned char>(piece[i]));
  for (std::size_t i = 0; i + 1 < count; ++i) ranks[i] = merge_rank(vocabulary, ids[i], ids[i + 1]);
  ranks[count - 1] = kNone;
  while (count > 1) {
    std::size_t best = 0;
    for (std::size_t i = 1; i + 1 < count; ++i)
      if (ranks[i] < ranks[best]) best = i;
    if (ranks[best] == kNone) break;
    ids[best] = ranks[best];
    for (std::size_t i = best + 1; i + 1 < count; ++i) {
      ids[i] = ids[i + 1];
      ranks[i] = ranks[i + 1];
    }
    --count;
    ranks[count - 1] = kNone;
    ranks[best] = best + 1 < count ? merge_rank(vocabulary, ids[best], ids[best + 1]) : kNone;
    if (best > 0) ranks[best - 1] = merge_rank(vocabulary, ids[best - 1], ids[best]);
  }
  out.insert(out.end(), ids, ids + count);
}

}  // namespace forge::bpe
