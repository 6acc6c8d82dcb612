#include "bpe/piece_counts.h"

namespace forge::bpe {

void PieceCounts::count(std::string_view piece, std::uint64_t n) {
  for (std::size_t at = 0; at < piece.size(); at += limits_.max_piece_bytes) {
    std::string_view part = piece.substr(at, limits_.max_piece_bytes);
    auto found = counts_.find(std::string(part));
    if (found != counts_.end())
      found->second += n;
    else
      counts_.emplace(part, n);
  }
}

void PieceCounts::add(const Pretokenizer& pretokenizer, std::string_view text) {
  scratch_.clear();
  pretokenizer.split(text, scratch_);
  for (std::string_view piece : scratch_) count(piece, 1);
  bytes_ += text.size();
  pieces_ += scratch_.size();
  if (counts_.size() > limits_.max_distinct) enforce_limit();
}

void PieceCounts::merge(PieceCounts&& other) {
  if (counts_.size() < other.counts_.size()) std::swap(counts_, other.counts_);
  for (auto& [piece, n] : other.counts_) counts_[piece] += n;
  bytes_ += other.bytes_;
  pieces_ += other.pieces_;
  dropped_ += other.dropped_;
  other.counts_.clear();
  if (counts_.size() > limits_.max_distinct) enforce_limit();
}

void PieceCounts::enforce_limit() {
  for (auto it = counts_.begin(); it != counts_.end();) {
    if (it->second == 1) {
      ++dropped_;
      it = counts_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace forge::bpe
