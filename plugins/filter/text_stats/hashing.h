#pragma once

// 64-bit hashes of text and a flat counting table keyed by them. Two different lines or n-grams
// share a 64-bit hash with probability ~2^-64, so the filters compare hashes, not strings.

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace forge::text {

// splitmix64's finalizer: every input bit reaches every output bit.
inline std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Eight bytes at a time, each block mixed in; the length separates "a" from "a\0".
inline std::uint64_t hash_bytes(std::string_view bytes) {
  std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ (bytes.size() * 0xff51afd7ed558ccdULL);
  std::size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    std::uint64_t block;
    std::memcpy(&block, bytes.data() + i, 8);
    h = mix(h ^ block);
  }
  if (i < bytes.size()) {
    std::uint64_t block = 0;
    std::memcpy(&block, bytes.data() + i, bytes.size() - i);
    h = mix(h ^ block ^ 0x80);
  }
  return h;
}

// Open addressing with linear probing over 64-bit keys. Each key keeps a count and the
// position at which it was first added. Reused across documents: reset() only clears.
class HashCounter {
 public:
  struct Slot {
    std::uint64_t key = 0;  // 0 marks an empty slot; key 0 is stored as 1
    std::uint32_t count = 0;
    std::uint32_t first = 0;
  };

  // Empties the table and sizes it for `expected` distinct keys at most half full.
  void reset(std::size_t expected) {
    std::size_t capacity = 16;
    while (capacity < 2 * expected) capacity *= 2;
    if (slots_.size() != capacity) {
      slots_.assign(capacity, Slot{});
    } else {
      std::memset(static_cast<void*>(slots_.data()), 0, capacity * sizeof(Slot));
    }
    mask_ = capacity - 1;
  }

  // Counts one occurrence of `key` seen at `position`; returns its slot.
  Slot& add(std::uint64_t key, std::uint32_t position) {
    Slot& slot = find(key);
    if (slot.count++ == 0) slot.first = position;
    return slot;
  }

  // Adds `key` once; true when it was not there yet.
  bool insert(std::uint64_t key) { return add(key, 0).count == 1; }

  const std::vector<Slot>& slots() const { return slots_; }

 private:
  Slot& find(std::uint64_t key) {
    key = key == 0 ? 1 : key;
    for (std::size_t i = key & mask_;; i = (i + 1) & mask_) {
      Slot& slot = slots_[i];
      if (slot.key == key) return slot;
      if (slot.key == 0) {
        slot.key = key;
        return slot;
      }
    }
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
};

}  // namespace forge::text
