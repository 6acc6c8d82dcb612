#include <forge/parallel.h>

#include <atomic>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace forge {

unsigned default_threads() {
  if (const char* value = std::getenv("FORGE_THREADS")) {
    int threads = std::atoi(value);
    if (threads > 0) return static_cast<unsigned>(threads);
  }
  unsigned hardware = std::thread::hardware_concurrency();
  return hardware ? hardware : 1;
}

void parallel_for(std::size_t count, unsigned threads,
                  const std::function<void(std::size_t)>& body) {
  if (threads == 0) threads = default_threads();
  if (count == 0) return;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr first_error;
  std::mutex error_mutex;
  auto worker = [&] {
    while (!failed) {
      std::size_t i = next.fetch_add(1);
      if (i >= count) return;
      try {
        body(i);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!first_error) first_error = std::current_exception();
        failed = true;
      }
    }
  };
  std::size_t workers = std::min<std::size_t>(threads, count);
  if (workers == 1) {
    worker();
  } else {
    std::vector<std::jthread> pool;
    for (std::size_t i = 0; i < workers; ++i) pool.emplace_back(worker);
  }
  if (first_error) std::rethrow_exception(first_error);
}

}  // namespace forge
