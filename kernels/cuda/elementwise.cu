// Entry points of the elementwise family (elementwise.cuh) for the op table.
#include "cuda_kernels.h"
#include "elementwise.cuh"

namespace forge::cuda {
namespace {

template <BinaryOp kOp>
void binary(const OpCall& call) {
  const Tensor &a = *call.in[0], &b = *call.in[1], &out = *call.out;
  const auto layout = make_layout<3>(op_name(call.op).data(), out.shape(),
                                     {&out.strides(), &a.strides(), &b.strides()});
  by_float_type(out.dtype(), [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    launch_binary<T, kOp>(out.numel(), layout, out_ptr<T>(&out), in_ptr<T>(&a), in_ptr<T>(&b),
                          stream_of(call));
  });
}

template <UnaryOp kOp>
void unary(const OpCall& call) {
  const Tensor &x = *call.in[0], &out = *call.out;
  const auto layout =
      make_layout<2>(op_name(call.op).data(), out.shape(), {&out.strides(), &x.strides()});
  const auto alpha = static_cast<float>(call.params.alpha);
  const auto beta = static_cast<float>(call.params.beta);
  by_float_type(out.dtype(), [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    launch_unary<T, kOp>(out.numel(), layout, out_ptr<T>(&out), in_ptr<T>(&x), alpha, beta,
                         stream_of(call));
  });
}

}  // namespace

void copy_on_device(const OpCall& call) {
  const Tensor &x = *call.in[0], &out = *call.out;
  const auto layout = make_layout<2>("copy", out.shape(), {&out.strides(), &x.strides()});
  cudaStream_t stream = stream_of(call);
  by_any_type(out.dtype(), [&](auto* out_type) {
    by_any_type(x.dtype(), [&](auto* in_type) {
      using Out = std::remove_pointer_t<decltype(out_type)>;
      using In = std::remove_pointer_t<decltype(in_type)>;
      launch_copy(out.numel(), layout, out_ptr<Out>(&out), in_ptr<In>(&x), stream);
    });
  });
}

void fill(const OpCall& call) {
  const Tensor& out = *call.out;
  const auto layout = make_layout<1>("fill", out.shape(), {&out.strides()});
  cudaStream_t stream = stream_of(call);
  by_any_type(out.dtype(), [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    launch_fill(out.numel(), layout, out_ptr<T>(&out), call.params.alpha, stream);
  });
}

void add(const OpCall& call) { binary<BinaryOp::add>(call); }
void sub(const OpCall& call) { binary<BinaryOp::sub>(call); }
void mul(const OpCall& call) { binary<BinaryOp::mul>(call); }
void div(const OpCall& call) { binary<BinaryOp::div>(call); }
void affine(const OpCall& call) { unary<UnaryOp::affine>(call); }
void exp(const OpCall& call) { unary<UnaryOp::exp>(call); }
void log(const OpCall& call) { unary<UnaryOp::log>(call); }
void tanh(const OpCall& call) { unary<UnaryOp::tanh>(call); }
void sqrt(const OpCall& call) { unary<UnaryOp::sqrt>(call); }
void rsqrt(const OpCall& call) { unary<UnaryOp::rsqrt>(call); }

}  // namespace forge::cuda
