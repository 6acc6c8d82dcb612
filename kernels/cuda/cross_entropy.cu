// Entry points of the fused cross-entropy (cross_entropy.cuh) for the op table.
#include "cross_entropy.cuh"
#include "cuda_kernels.h"

namespace forge::cuda {
namespace {

XentParams params_of(const OpCall& call, const Tensor& logits) {
  const std::int64_t V = logits.size(-1);
  return {logits.numel() / std::max<std::int64_t>(V, 1), V, call.params.ignore_index,
          static_cast<float>(call.params.z_loss)};
}

}  // namespace

void cross_entropy(const OpCall& call) {
  const Tensor& logits = *call.in[0];
  const XentParams p = params_of(call, logits);
  cudaStream_t stream = stream_of(call);
  const Device device = logits.device();
  Tensor share = Tensor::empty({p.N}, DType::f32, device);
  Tensor weight = Tensor::empty({p.N}, DType::f32, device);
  Tensor bad = make_flag(device, stream);
  const auto* targets = in_ptr<std::int32_t>(call.in[1]);
  by_float_type(call.out->dtype(), [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    launch_xent_rows(p, in_ptr<T>(&logits), targets, in_ptr<float>(call.in[2]),
                     out_ptr<float>(call.aux[0]), out_ptr<float>(&share), out_ptr<float>(&weight),
                     out_ptr<std::int32_t>(&bad), stream);
    launch_xent_total(p.N, in_ptr<float>(&share), in_ptr<float>(&weight), out_ptr<T>(call.out),
                      out_ptr<float>(call.aux[1]), stream);
  });
  const std::int32_t row = read_int(in_ptr<std::int32_t>(&bad), stream);
  if (row != kNoFailure)
    throw Error(cat("[cross_entropy] target ", read_int(targets + row, stream), " in row ", row,
                    " is outside the vocabulary [0, ", p.V, ") and is not ignore_index (",
                    p.ignore_index, ")"));
}

void cross_entropy_backward(const OpCall& call) {
  const XentParams p = params_of(call, *call.out);
  by_float_type(call.out->dtype(), [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    launch_xent_backward(p, in_ptr<T>(call.in[0]), in_ptr<std::int32_t>(call.in[1]),
                         in_ptr<float>(call.in[2]), in_ptr<float>(call.in[3]),
                         in_ptr<T>(call.in[4]), in_ptr<float>(call.in[5]), out_ptr<T>(call.out),
                         stream_of(call));
  });
}

}  // namespace forge::cuda
