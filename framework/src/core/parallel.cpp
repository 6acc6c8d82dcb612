#include <forge/parallel.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include <sched.h>

namespace forge {
namespace {

// Set on every thread while it runs a parallel_for body: a nested call runs inline, since the
// pool's threads are already busy with the outer one.
thread_local bool t_inside = false;

struct Job {
  std::size_t count = 0;
  const std::function<void(std::size_t)>* body = nullptr;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;

  void work() {
    const bool outer = t_inside;
    t_inside = true;
    while (!failed.load(std::memory_order_relaxed)) {
      const std::size_t i = next.fetch_add(1);
      if (i >= count) break;
      try {
        (*body)(i);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
        failed = true;
      }
    }
    t_inside = outer;
  }
};

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#else
  std::this_thread::yield();
#endif
}

// Threads started once and kept: kernels run hundreds of short loops per training step, and
// starting threads for each would cost more than many of the loops themselves.
class Pool {
 public:
  ~Pool() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& thread : threads_) thread.join();
  }

  // Runs `job` on the calling thread and `helpers` pool threads; false when another caller
  // holds the pool (the caller then runs the job alone).
  bool run(Job& job, std::size_t helpers) {
    std::unique_lock busy(busy_, std::try_to_lock);
    if (!busy) return false;
    {
      std::lock_guard lock(mutex_);
      while (threads_.size() < helpers) threads_.emplace_back([this] { serve(); });
      job_ = &job;
      wanted_ = helpers;
      joined_ = 0;
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    job.work();
    std::unique_lock lock(mutex_);
    // Helpers that have not joined yet will find no work left; stop waiting for them.
    wanted_ = joined_;
    done_.wait(lock, [&] { return finished_ == joined_; });
    finished_ = 0;
    job_ = nullptr;
    return true;
  }

 private:
  void serve() {
    std::uint64_t seen = 0;
    for (;;) {
      // A short spin first (about 0.1 ms): the next loop of a training step usually follows
      // within microseconds, sooner than a sleeping thread wakes.
      for (int spin = 0; spin < 20000 && generation_.load(std::memory_order_acquire) == seen;
           ++spin)
        cpu_relax();
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || generation_.load() != seen; });
      if (stopping_) return;
      seen = generation_.load();
      if (!job_ || joined_ >= wanted_) continue;
      ++joined_;
      Job* job = job_;
      lock.unlock();
      job->work();
      lock.lock();
      ++finished_;
      done_.notify_all();
    }
  }

  std::mutex busy_;  // one job at a time
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::vector<std::thread> threads_;
  Job* job_ = nullptr;
  std::atomic<std::uint64_t> generation_{0};
  std::size_t wanted_ = 0, joined_ = 0, finished_ = 0;
  bool stopping_ = false;
};

Pool& pool() {
  static Pool instance;
  return instance;
}

}  // namespace

unsigned default_threads() {
  if (const char* value = std::getenv("FORGE_THREADS")) {
    int threads = std::atoi(value);
    if (threads > 0) return static_cast<unsigned>(threads);
  }
  // The cores this process may run on (a launcher's binding, taskset, a cgroup's cpuset) ...
  unsigned cores = std::thread::hardware_concurrency();
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  const bool bound = sched_getaffinity(0, sizeof allowed, &allowed) == 0 &&
                     static_cast<unsigned>(CPU_COUNT(&allowed)) < cores;
  if (bound) cores = static_cast<unsigned>(CPU_COUNT(&allowed));
  // ... shared with the other ranks of this machine when the launcher did not bind them.
  const char* local_ranks = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
  if (!bound && local_ranks && std::atoi(local_ranks) > 1)
    cores /= static_cast<unsigned>(std::atoi(local_ranks));
  return cores ? cores : 1;
}

void parallel_for(std::size_t count, unsigned threads,
                  const std::function<void(std::size_t)>& body) {
  if (threads == 0) threads = default_threads();
  if (count == 0) return;
  Job job;
  job.count = count;
  job.body = &body;
  const std::size_t workers = std::min<std::size_t>(threads, count);
  if (workers == 1 || t_inside || !pool().run(job, workers - 1)) job.work();
  if (job.error) std::rethrow_exception(job.error);
}

}  // namespace forge
