#pragma once

// Shared pieces of the CPU kernels: dtype dispatch, chunked parallel loops over rows, an exp
// the compiler can vectorize, and row reductions with independent accumulators.

#include <forge/parallel.h>

#include "core/op_table.h"
#include "strided.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <vector>

namespace forge::cpu {

// Calls fn with a typed null pointer for the floating dtype of `dtype`.
template <class Fn>
void by_float_type(DType dtype, Fn&& fn) {
  switch (dtype) {
    case DType::f32:
      return fn(static_cast<float*>(nullptr));
    case DType::f64:
      return fn(static_cast<double*>(nullptr));
    case DType::bf16:
      return fn(static_cast<bf16_t*>(nullptr));
    case DType::i32:
      break;
  }
  FORGE_CHECK(false, "floating kernel called for ", dtype_name(dtype));
}

template <class T>
const T* in_ptr(const Tensor* t) {
  return t ? static_cast<const T*>(t->data_ptr()) : nullptr;
}
template <class T>
T* out_ptr(const Tensor* t) {
  return t ? static_cast<T*>(t->data_ptr()) : nullptr;
}

// Work (in element steps) below which starting threads costs more than it saves.
inline constexpr std::int64_t kChunkWork = 32768;

// Items per chunk when each item costs `cost` element steps. It depends on the sizes alone, so
// that sums over chunks come out the same whatever the number of threads.
inline std::int64_t chunk_items(std::int64_t cost) {
  return std::max<std::int64_t>(1, kChunkWork / std::max<std::int64_t>(cost, 1));
}
inline std::int64_t chunk_count(std::int64_t count, std::int64_t cost) {
  std::int64_t items = chunk_items(cost);
  return (count + items - 1) / items;
}

// Runs body(chunk, begin, end) over [0, count) in chunks of chunk_items(cost), on
// default_threads() workers when there is more than one chunk.
template <class Body>
void for_chunks(std::int64_t count, std::int64_t cost, Body&& body) {
  const std::int64_t items = chunk_items(cost), chunks = chunk_count(count, cost);
  auto run = [&](std::size_t chunk) {
    auto begin = static_cast<std::int64_t>(chunk) * items;
    body(static_cast<std::int64_t>(chunk), begin, std::min(count, begin + items));
  };
  if (chunks <= 1) {
    if (count > 0) run(0);
    return;
  }
  parallel_for(static_cast<std::size_t>(chunks), default_threads(), run);
}

// Calls body(offsets, count, steps) over every element of `shape` as for_each_run does, after
// merging dims that are contiguous for every operand (a dense tensor becomes one run), split
// into chunks that run on the pool. Chunk bounds depend on the sizes alone.
template <std::size_t K, class Body>
void parallel_runs(const Shape& shape, const std::array<const Shape*, K>& strides, Body&& body) {
  // Merged dims, innermost last; size-1 dims drop out.
  std::vector<std::int64_t> sizes;
  std::vector<std::array<std::int64_t, K>> steps;
  for (std::size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 0) return;
    if (shape[d] == 1) continue;
    std::array<std::int64_t, K> step;
    for (std::size_t k = 0; k < K; ++k) step[k] = (*strides[k])[d];
    bool merges = !sizes.empty();
    for (std::size_t k = 0; k < K && merges; ++k) merges = steps.back()[k] == step[k] * shape[d];
    if (merges) {
      sizes.back() *= shape[d];
      steps.back() = step;
    } else {
      sizes.push_back(shape[d]);
      steps.push_back(step);
    }
  }
  if (sizes.empty()) {
    sizes.push_back(1);
    steps.push_back({});
  }
  const std::int64_t inner = sizes.back();
  std::int64_t rows = 1;
  for (std::size_t d = 0; d + 1 < sizes.size(); ++d) rows *= sizes[d];
  // One long run is cut into pieces; many runs are handed out whole.
  const std::int64_t piece = rows == 1 ? chunk_items(1) : inner;
  const std::int64_t pieces_per_row = (inner + piece - 1) / piece;
  for_chunks(rows * pieces_per_row, piece, [&](std::int64_t, std::int64_t begin, std::int64_t end) {
    for (std::int64_t item = begin; item < end; ++item) {
      std::int64_t row = item / pieces_per_row, start = (item % pieces_per_row) * piece;
      std::array<std::int64_t, K> at{};
      for (int d = static_cast<int>(sizes.size()) - 2; d >= 0; --d) {
        const std::int64_t index = row % sizes[d];
        row /= sizes[d];
        for (std::size_t k = 0; k < K; ++k) at[k] += index * steps[d][k];
      }
      for (std::size_t k = 0; k < K; ++k) at[k] += start * steps.back()[k];
      body(at, std::min(piece, inner - start), steps.back());
    }
  });
}

// Runs loop(n, unit) with unit true when every operand moves by one element: the compiler
// then sees a plain dense loop and vectorizes it.
template <std::size_t K, class Loop>
void dense_or_strided(const std::array<std::int64_t, K>& step, std::int64_t n, Loop&& loop) {
  bool unit = true;
  for (std::int64_t s : step) unit = unit && s == 1;
  if (unit)
    loop(n, std::true_type{});
  else
    loop(n, std::false_type{});
}

// exp(x) = 2^n exp(r), n = round(x / ln 2), |r| <= ln 2 / 2, exp(r) by its Taylor series to r^7
// (relative error ~1e-7). Branch-free so loops over it vectorize; inputs above 88 saturate.
inline float fast_exp(float x) {
  constexpr float kLog2e = 1.44269504f;
  constexpr float kLn2High = 0.693145751953125f;  // few mantissa bits: n * kLn2High is exact
  constexpr float kLn2Low = 1.42860677e-6f;
  constexpr float kRound = 12582912.0f;  // 1.5 * 2^23: adding it rounds to an integer
  float clamped = std::min(std::max(x, -87.0f), 88.0f);
  float shifted = clamped * kLog2e + kRound;
  float n = shifted - kRound;
  float r = (clamped - n * kLn2High) - n * kLn2Low;
  float p =
      1.0f +
      r * (1.0f + r * (0.5f + r * (1.0f / 6 +
                                   r * (1.0f / 24 +
                                        r * (1.0f / 120 + r * (1.0f / 720 + r * (1.0f / 5040)))))));
  std::int32_t exponent =
      std::bit_cast<std::int32_t>(shifted) - std::bit_cast<std::int32_t>(kRound) + 127;
  float y = p * std::bit_cast<float>(exponent << 23);
  return x < -87.0f ? 0.0f : y;
}
inline float acc_exp(float x) { return fast_exp(x); }
inline double acc_exp(double x) { return std::exp(x); }

// Row reductions with eight independent accumulators, which vectorize without -ffast-math.
template <class T, class F>
Acc<T> reduce_row(const T* x, std::int64_t n, Acc<T> init, F combine) {
  Acc<T> part[8] = {init, init, init, init, init, init, init, init};
  std::int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int k = 0; k < 8; ++k) part[k] = combine(part[k], static_cast<Acc<T>>(x[i + k]));
  for (; i < n; ++i) part[0] = combine(part[0], static_cast<Acc<T>>(x[i]));
  for (int k = 1; k < 8; ++k) part[0] = combine(part[0], part[k]);
  return part[0];
}
template <class T>
Acc<T> row_sum(const T* x, std::int64_t n) {
  return reduce_row(x, n, Acc<T>(0), [](auto a, auto b) { return a + b; });
}
template <class T>
Acc<T> row_max(const T* x, std::int64_t n) {
  return reduce_row(x, n, -INFINITY, [](auto a, auto b) { return a < b ? b : a; });
}
// sum_i term(i) for i in [0, n), in A, with the same eight-way split.
template <class A, class F>
A sum_over(std::int64_t n, F term) {
  A part[8] = {};
  std::int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int k = 0; k < 8; ++k) part[k] += term(i + k);
  for (; i < n; ++i) part[0] += term(i);
  A total = 0;
  for (A p : part) total += p;
  return total;
}
template <class A, class X, class Y>
A row_dot(const X* x, const Y* y, std::int64_t n) {
  return sum_over<A>(n,
                     [&](std::int64_t i) { return static_cast<A>(x[i]) * static_cast<A>(y[i]); });
}
// sum_i exp(x[i] - shift), with the exp inside the vectorized loop.
template <class T>
Acc<T> row_sum_exp(const T* x, std::int64_t n, Acc<T> shift) {
  using A = Acc<T>;
  return sum_over<A>(n, [&](std::int64_t i) { return acc_exp(static_cast<A>(x[i]) - shift); });
}

// `n` values as the accumulation type: the data itself when it already is, else a copy in
// `buffer`.
template <class T>
const Acc<T>* widen(const T* x, std::int64_t n, std::vector<Acc<T>>& buffer) {
  if constexpr (std::is_same_v<T, Acc<T>>) {
    return x;
  } else {
    buffer.resize(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) buffer[i] = static_cast<Acc<T>>(x[i]);
    return buffer.data();
  }
}
template <class T>
void narrow(const Acc<T>* x, std::int64_t n, T* out) {
  for (std::int64_t i = 0; i < n; ++i) out[i] = static_cast<T>(x[i]);
}

}  // namespace forge::cpu
