// Entry point of rotary position embedding (rope.cuh) for the op table.
#include "cuda_kernels.h"
#include "rope.cuh"

namespace forge::cuda {

void rope(const OpCall& call) {
  const Tensor& x = *call.in[0];
  const std::int64_t Tn = x.size(2), D = x.size(3), half = D / 2;
  const std::int64_t rows = Tn && D ? x.numel() / D : 0;
  cudaStream_t stream = stream_of(call);
  Tensor table = Tensor::empty({2, Tn, half}, DType::f32, x.device());
  float* cos_table = out_ptr<float>(&table);
  float* sin_table = cos_table + Tn * half;
  launch_rope_table(Tn, half, call.params.offset, call.params.theta, cos_table, sin_table, stream);
  by_float_type(x.dtype(), [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    launch_rope(rows, Tn, D, call.params.inverse, cos_table, sin_table, in_ptr<T>(&x),
                out_ptr<T>(call.out), stream);
  });
}

}  // namespace forge::cuda
