#pragma once

// Ops are free functions. Each validates shapes and dtypes (throwing forge::Error such as
// "[matmul] inner dimensions 64 and 32 differ"), runs on the backend of its inputs' device and,
// when an input requires a gradient, records itself for the backward pass.

#include <forge/export.h>
#include <forge/tensor.h>

#include <vector>

namespace forge::ops {

// Elementwise, with NumPy broadcasting. Both inputs must share dtype and device.
FORGE_API Tensor add(const Tensor& a, const Tensor& b);
FORGE_API Tensor sub(const Tensor& a, const Tensor& b);
FORGE_API Tensor mul(const Tensor& a, const Tensor& b);
FORGE_API Tensor div(const Tensor& a, const Tensor& b);
// scale * x + shift
FORGE_API Tensor affine(const Tensor& x, double scale, double shift = 0.0);
FORGE_API Tensor exp(const Tensor& x);
FORGE_API Tensor log(const Tensor& x);
FORGE_API Tensor tanh(const Tensor& x);

// Sum over `dims` (all dims when empty); keepdim leaves them as size 1.
FORGE_API Tensor sum(const Tensor& x, std::vector<int> dims = {}, bool keepdim = false);
FORGE_API Tensor mean(const Tensor& x, std::vector<int> dims = {}, bool keepdim = false);
// Sums a broadcast gradient back down to `shape` (the reverse of broadcasting).
FORGE_API Tensor sum_to(const Tensor& x, const Shape& shape);

// [..., M, K] @ [..., K, N] -> [..., M, N]. `b` may be 2-d and shared by every batch of `a`.
// The transpose flags swap the last two dims of an input without copying it.
FORGE_API Tensor matmul(const Tensor& a, const Tensor& b, bool transpose_a = false,
                        bool transpose_b = false);

// Writes `src` into `dst` (a view; shapes must match, dtypes may differ). No autograd.
FORGE_API void copy_into(const Tensor& dst, const Tensor& src);

}  // namespace forge::ops
