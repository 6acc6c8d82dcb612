#pragma once

// Pre-tokenized training text, deduplicated: every distinct piece once, with how often it
// occurs. A trainer then works on distinct pieces only, which are few next to the text.

#include <forge/export.h>

#include "bpe/pretokenizer.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace forge::bpe {

struct PieceCountLimits {
  // Longer pieces (runs of spaces or digits, base64 blobs) are cut into pieces of this size:
  // merges inside them are rarely useful and they would cost memory.
  std::size_t max_piece_bytes = 128;
  // When more distinct pieces than this are held, those seen once are dropped (and counted in
  // `dropped`), which bounds memory at roughly this many entries of ~100 bytes each.
  std::size_t max_distinct = 20'000'000;
};

class FORGE_API PieceCounts {
 public:
  explicit PieceCounts(PieceCountLimits limits = {}) : limits_(limits) {}

  // Splits `text` and counts its pieces. Not thread-safe: count on one object per thread and
  // merge() them.
  void add(const Pretokenizer& pretokenizer, std::string_view text);
  void merge(PieceCounts&& other);

  const std::unordered_map<std::string, std::uint64_t>& counts() const { return counts_; }
  std::uint64_t bytes() const { return bytes_; }
  std::uint64_t pieces() const { return pieces_; }
  std::uint64_t dropped() const { return dropped_; }

 private:
  void count(std::string_view piece, std::uint64_t n);
  void enforce_limit();

  PieceCountLimits limits_;
  std::unordered_map<std::string, std::uint64_t> counts_;
  std::vector<std::string_view> scratch_;
  std::uint64_t bytes_ = 0, pieces_ = 0, dropped_ = 0;
};

}  // namespace forge::bpe
