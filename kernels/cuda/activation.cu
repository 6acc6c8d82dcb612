// Entry points of the activations (activation.cuh) for the op table.
#include "activation.cuh"
#include "cuda_kernels.h"

namespace forge::cuda {
namespace {

template <Activation kAct>
void run(const OpCall& call) {
  by_float_type(call.out->dtype(), [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    const T* dy = call.inputs > 1 ? in_ptr<T>(call.in[1]) : nullptr;
    launch_activation<T, kAct>(call.out->numel(), in_ptr<T>(call.in[0]), dy, out_ptr<T>(call.out),
                               stream_of(call));
  });
}

}  // namespace

void gelu(const OpCall& call) { run<Activation::gelu>(call); }
void gelu_backward(const OpCall& call) { run<Activation::gelu_backward>(call); }
void silu(const OpCall& call) { run<Activation::silu>(call); }
void silu_backward(const OpCall& call) { run<Activation::silu_backward>(call); }

}  // namespace forge::cuda
