// Entry point of the sum reduction (reduce.cuh) for the op table.
#include "cuda_kernels.h"
#include "reduce.cuh"

namespace forge::cuda {

// Splits x's dims into those out keeps and those it reduces (out is 1 where x is not).
void sum(const OpCall& call) {
  const Tensor &x = *call.in[0], &out = *call.out;
  FORGE_CHECK(out.is_contiguous(), "sum writes a contiguous output");
  Shape kept_shape, kept_strides, reduced_shape, reduced_strides;
  for (int d = 0; d < x.ndim(); ++d) {
    const bool reduced = out.shape()[d] == 1 && x.shape()[d] != 1;
    (reduced ? reduced_shape : kept_shape).push_back(x.shape()[d]);
    (reduced ? reduced_strides : kept_strides).push_back(x.strides()[d]);
  }
  const auto kept = make_layout<1>("sum", kept_shape, {&kept_strides});
  const auto reduced = make_layout<1>("sum", reduced_shape, {&reduced_strides});
  const std::int64_t R = shape_numel(reduced_shape);
  if (x.numel() == 0) {  // sums over nothing are zeros
    FORGE_CUDA_CHECK(
        cudaMemsetAsync(out.data_ptr(), 0, out.numel() * dtype_size(out.dtype()), stream_of(call)));
    return;
  }
  by_float_type(out.dtype(), [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    launch_sum(out.numel(), R, kept, reduced, in_ptr<T>(&x), out_ptr<T>(&out), stream_of(call));
  });
}

}  // namespace forge::cuda
