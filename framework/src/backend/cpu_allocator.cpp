#include "backend/cpu_allocator.h"

#include <forge/error.h>

#include <unistd.h>

#include <cstdlib>
#include <map>
#include <mutex>
#include <vector>

namespace forge {
namespace {

constexpr std::size_t kAlignment = 64;                     // a cache line, room for AVX-512 loads
constexpr std::size_t kCachedFrom = std::size_t{1} << 16;  // smaller blocks: malloc is quick

// Sizes round up to one of 8 classes per power of two (at most 12.5% slack), so that
// similar requests share blocks.
std::size_t size_class(std::size_t bytes) {
  std::size_t top = std::size_t{1} << (63 - __builtin_clzll(bytes));
  std::size_t step = std::max<std::size_t>(top / 8, kAlignment);
  return (bytes + step - 1) / step * step;
}

class BlockCache {
 public:
  BlockCache() {
    const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    limit_ = pages > 0 && page > 0 ? static_cast<std::size_t>(pages) * page / 4 : (1ull << 30);
  }

  void* take(std::size_t bytes) {
    std::lock_guard lock(mutex_);
    auto it = free_.find(bytes);
    if (it == free_.end() || it->second.empty()) return nullptr;
    void* block = it->second.back();
    it->second.pop_back();
    cached_ -= bytes;
    return block;
  }

  // Keeps the block unless the cache holds a quarter of physical memory already.
  bool keep(void* block, std::size_t bytes) {
    std::lock_guard lock(mutex_);
    if (cached_ + bytes > limit_) return false;
    free_[bytes].push_back(block);
    cached_ += bytes;
    return true;
  }

 private:
  std::mutex mutex_;
  std::map<std::size_t, std::vector<void*>> free_;
  std::size_t cached_ = 0, limit_ = 0;
};

BlockCache& cache() {
  static BlockCache* instance = new BlockCache;  // never destroyed: tensors may outlive main
  return *instance;
}

std::size_t rounded(std::size_t bytes) {
  if (bytes >= kCachedFrom) return size_class(bytes);
  return bytes ? (bytes + kAlignment - 1) / kAlignment * kAlignment : kAlignment;
}

}  // namespace

void* cpu_allocate(std::size_t bytes, int) {
  const std::size_t size = rounded(bytes);
  if (size >= kCachedFrom)
    if (void* block = cache().take(size)) return block;
  void* data = std::aligned_alloc(kAlignment, size);
  if (!data) throw Error(cat("out of host memory allocating ", bytes, " bytes"));
  return data;
}

void cpu_deallocate(void* data, std::size_t bytes, int) {
  const std::size_t size = rounded(bytes);
  if (size >= kCachedFrom && cache().keep(data, size)) return;
  std::free(data);
}

}  // namespace forge
