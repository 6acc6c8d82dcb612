#pragma once

// Walks n-d tensors of one shape with per-operand strides, one run of the innermost dim at a
// time, so kernels get a tight inner loop whatever the layout (views, broadcasts).

#include <forge/tensor.h>

#include <array>
#include <cstdint>

namespace forge::cpu {

// Calls body(offsets, count, steps): operand k starts at element offsets[k] and moves by
// steps[k] within the run of `count` elements.
template <std::size_t K, class Body>
void for_each_run(const Shape& shape, const std::array<const Shape*, K>& strides, Body&& body) {
  std::array<std::int64_t, K> offsets{}, steps{};
  const int ndim = static_cast<int>(shape.size());
  if (ndim == 0) {
    body(offsets, std::int64_t{1}, steps);
    return;
  }
  for (std::int64_t d : shape)
    if (d == 0) return;
  for (std::size_t k = 0; k < K; ++k) steps[k] = (*strides[k])[ndim - 1];
  const std::int64_t inner = shape[ndim - 1];
  Shape index(ndim, 0);
  while (true) {
    body(offsets, inner, steps);
    int d = ndim - 2;  // advance the outer index like an odometer
    for (; d >= 0; --d) {
      ++index[d];
      for (std::size_t k = 0; k < K; ++k) offsets[k] += (*strides[k])[d];
      if (index[d] < shape[d]) break;
      for (std::size_t k = 0; k < K; ++k) offsets[k] -= (*strides[k])[d] * shape[d];
      index[d] = 0;
    }
    if (d < 0) return;
  }
}

// The accumulation type of an element type: double for f64, float for the rest.
template <class T>
using Acc = std::conditional_t<std::is_same_v<T, double>, double, float>;

}  // namespace forge::cpu
