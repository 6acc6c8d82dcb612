// Entry points of softmax (softmax.cuh) for the op table.
#include "cuda_kernels.h"
#include "softmax.cuh"

namespace forge::cuda {

void softmax(const OpCall& call) {
  const std::int64_t V = call.out->size(-1), N = V ? call.out->numel() / V : 0;
  by_float_type(call.out->dtype(), [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    launch_softmax(N, V, in_ptr<T>(call.in[0]), out_ptr<T>(call.out), stream_of(call));
  });
}

void softmax_backward(const OpCall& call) {
  const std::int64_t V = call.out->size(-1), N = V ? call.out->numel() / V : 0;
  by_float_type(call.out->dtype(), [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    launch_softmax_backward(N, V, in_ptr<T>(call.in[0]), in_ptr<T>(call.in[1]),
                            out_ptr<T>(call.out), stream_of(call));
  });
}

}  // namespace forge::cuda
