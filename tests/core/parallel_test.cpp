// parallel_for on the persistent pool: every index once, errors, nesting, concurrent callers,
// and elementwise kernels large enough to be split across it.
#include <forge/ops.h>
#include <forge/parallel.h>
#include <forge/random.h>

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

namespace forge {
namespace {

TEST(ParallelFor, RunsEveryIndexExactlyOnce) {
  for (unsigned threads : {1u, 2u, 4u}) {
    std::vector<std::atomic<int>> hits(1000);
    parallel_for(hits.size(), threads, [&](std::size_t i) { hits[i]++; });
    for (std::size_t i = 0; i < hits.size(); ++i) ASSERT_EQ(hits[i], 1) << i;
  }
  parallel_for(0, 2, [](std::size_t) { FAIL(); });
}

TEST(ParallelFor, RethrowsTheFirstErrorAndStopsHandingOutWork) {
  std::atomic<int> ran{0};
  EXPECT_THROW(parallel_for(100000, 2,
                            [&](std::size_t i) {
                              ran++;
                              // Every task from 10 on fails, so a worker that keeps running
                              // while another is descheduled stops at its next task too.
                              if (i >= 10) throw std::runtime_error("task failed");
                            }),
               std::runtime_error);
  EXPECT_LT(ran.load(), 100000);
  // The pool still works afterwards.
  std::atomic<int> after{0};
  parallel_for(64, 2, [&](std::size_t) { after++; });
  EXPECT_EQ(after, 64);
}

TEST(ParallelFor, NestedAndConcurrentCallsComplete) {
  std::atomic<int> inner{0};
  parallel_for(8, 2, [&](std::size_t) {
    parallel_for(16, 2, [&](std::size_t) { inner++; });  // runs inline on its worker
  });
  EXPECT_EQ(inner, 8 * 16);
  std::atomic<int> total{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < 4; ++c)
    callers.emplace_back([&] {
      for (int round = 0; round < 50; ++round) parallel_for(32, 2, [&](std::size_t) { total++; });
    });
  for (auto& caller : callers) caller.join();
  EXPECT_EQ(total, 4 * 50 * 32);
}

// A dense add, a broadcast add and a strided view, each with millions of elements so that
// parallel_runs splits them, against a plain loop.
TEST(ParallelRuns, SplitElementwiseOpsMatchAPlainLoop) {
  Generator g(5);
  Tensor a = Tensor::uniform({1500, 2001}, g, -1, 1), b = Tensor::uniform({2001}, g, -1, 1);
  std::vector<double> va = a.to_doubles(), vb = b.to_doubles();
  std::vector<double> sum = ops::add(a, b).to_doubles();
  for (std::size_t r = 0; r < 1500; r += 7)
    for (std::size_t c = 0; c < 2001; c += 13)
      ASSERT_EQ(sum[r * 2001 + c], static_cast<float>(va[r * 2001 + c] + vb[c]));
  Tensor t = a.transpose(0, 1).contiguous();  // a strided read of 3 million elements
  std::vector<double> vt = t.to_doubles();
  for (std::size_t r = 0; r < 2001; r += 11)
    for (std::size_t c = 0; c < 1500; c += 17) ASSERT_EQ(vt[r * 1500 + c], va[c * 2001 + r]);
  Tensor half = a.slice(1, 1, 2001);
  ops::fill(half, 3.0);
  std::vector<double> filled = a.to_doubles();
  EXPECT_EQ(filled[0], va[0]);
  EXPECT_EQ(filled[1], 3.0);
  EXPECT_EQ(filled[2001 * 1499 + 2000], 3.0);
  EXPECT_EQ(filled[2001 * 1499], va[2001 * 1499]);
}

}  // namespace
}  // namespace forge
