#pragma once

// Shared checks and plumbing for op front ends.

#include <forge/ops.h>

#include "core/op_table.h"
#include "core/tensor_impl.h"

namespace forge::ops {

// "[add] inputs have dtypes f32 and bf16; convert one with .to()"-style checks.
void check_same_dtype(const char* op, const Tensor& a, const Tensor& b);
void check_floating(const char* op, const Tensor& x);
// NumPy broadcasting of two shapes, or an error naming both.
Shape broadcast_shapes(const char* op, const Shape& a, const Shape& b);

// Runs a one-input, one-output op into a new tensor shaped like `out_shape`.
Tensor run_unary(OpId op, const Tensor& x, const Shape& out_shape, OpParams params = {});
// Dispatches one call of a fused op: inputs (null for an absent optional one), the main output
// and any further outputs (null when not wanted).
void run_kernel(OpId op, std::initializer_list<const Tensor*> inputs, Tensor& out,
                std::initializer_list<Tensor*> aux = {}, const OpParams& params = {});
// The tensor as kernels that walk memory in order want it: detached and contiguous.
Tensor dense(const Tensor& x);
// An incoming gradient as a backward kernel reads it: dense, in the dtype of its forward.
Tensor dense_grad(const Tensor& grad, DType dtype);
// Runs a two-input op whose inputs are first broadcast (as stride-0 views) to `out_shape`.
Tensor run_binary(OpId op, const Tensor& a, const Tensor& b, const Shape& out_shape);

}  // namespace forge::ops
