// Entry points of the flash-style attention kernels (attention.cuh) for the op table.
#include "attention.cuh"
#include "cuda_kernels.h"

namespace forge::cuda {
namespace {

// in: q [B, Hq, T, D], k, v [B, Hkv, S, D]; document starts at input `starts_input`.
AttentionShape shape_of(const OpCall& call, int starts_input) {
  const Tensor &q = *call.in[0], &k = *call.in[1];
  const Tensor* starts = call.inputs > starts_input ? call.in[starts_input] : nullptr;
  return {q.size(0),
          q.size(1),
          k.size(1),
          q.size(2),
          k.size(2),
          q.size(3),
          call.params.offset,
          call.params.causal,
          static_cast<float>(call.params.scale),
          starts ? in_ptr<std::int32_t>(starts) : nullptr};
}

// Calls fn with the accumulator chunks (dims per lane) that the head size needs.
template <class Fn>
void by_head_size(const AttentionShape& a, std::size_t smem, int device, Fn&& fn) {
  if (a.D > 256)
    throw Error(cat("[attention] the cuda kernel takes head sizes up to 256, not ", a.D));
  if (static_cast<std::int64_t>(smem) > max_shared_memory(device))
    throw Error(cat("[attention] head size ", a.D, " needs ", smem,
                    " bytes of shared memory per block; cuda:", device, " has ",
                    max_shared_memory(device)));
  if (a.D <= 64) return fn(std::integral_constant<int, 16>{});
  if (a.D <= 128) return fn(std::integral_constant<int, 32>{});
  fn(std::integral_constant<int, 64>{});
}

}  // namespace

void attention(const OpCall& call) {
  const AttentionShape a = shape_of(call, 3);
  if (a.B * a.Hq * a.T == 0 || a.D == 0) return;
  const int device = call.out->device().index;
  cudaStream_t stream = stream_of(call);
  by_float_type(call.out->dtype(), [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    by_head_size(a, forward_smem(a.D), device, [&](auto chunks) {
      launch_attention_forward<T, decltype(chunks)::value>(
          a, in_ptr<T>(call.in[0]), in_ptr<T>(call.in[1]), in_ptr<T>(call.in[2]),
          out_ptr<T>(call.out), out_ptr<float>(call.aux[0]), stream);
    });
  });
}

// in: q, k, v, out, dout, lse, document starts or null; out: dq; aux: dk, dv.
void attention_backward(const OpCall& call) {
  const AttentionShape a = shape_of(call, 6);
  const int device = call.out->device().index;
  cudaStream_t stream = stream_of(call);
  if (a.B * a.Hq * a.T == 0 || a.D == 0) {  // no queries: keys and values get no gradient
    for (Tensor* grad : {call.aux[0], call.aux[1]})
      FORGE_CUDA_CHECK(
          cudaMemsetAsync(grad->data_ptr(), 0, grad->numel() * dtype_size(grad->dtype()), stream));
    return;
  }
  Tensor delta = Tensor::empty({a.B * a.Hq * a.T}, DType::f32, call.out->device());
  by_float_type(call.out->dtype(), [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    by_head_size(a, std::max(dkdv_smem(a.D), dq_smem(a.D)), device, [&](auto chunks) {
      launch_attention_backward<T, decltype(chunks)::value>(
          a, in_ptr<T>(call.in[0]), in_ptr<T>(call.in[1]), in_ptr<T>(call.in[2]),
          in_ptr<T>(call.in[3]), in_ptr<T>(call.in[4]), in_ptr<float>(call.in[5]),
          out_ptr<float>(&delta), out_ptr<T>(call.out), out_ptr<T>(call.aux[0]),
          out_ptr<T>(call.aux[1]), stream);
    });
  });
}

}  // namespace forge::cuda
