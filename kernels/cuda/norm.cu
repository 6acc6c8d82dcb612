// Entry points of layer norm and RMS norm (norm.cuh) for the op table.
#include "cuda_kernels.h"
#include "norm.cuh"

namespace forge::cuda {
namespace {

std::int64_t rows_of(const Tensor& x) { return x.size(-1) ? x.numel() / x.size(-1) : 0; }

template <bool kRms>
void forward(const OpCall& call) {
  const Tensor& x = *call.in[0];
  const std::int64_t C = x.size(-1), R = rows_of(x);
  const auto eps = static_cast<float>(call.params.eps);
  float* mean = kRms ? nullptr : out_ptr<float>(call.aux[0]);
  float* rstd = out_ptr<float>(call.aux[kRms ? 0 : 1]);
  const Tensor* bias = kRms ? nullptr : call.in[2];
  by_float_type(call.out->dtype(), [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    launch_norm_forward<T, kRms>(R, C, eps, in_ptr<T>(&x), in_ptr<T>(call.in[1]), in_ptr<T>(bias),
                                 out_ptr<T>(call.out), mean, rstd, stream_of(call));
  });
}

// in: dy, x, weight, then mean and rstd (layer norm) or rstd (RMS norm); aux: dweight, dbias.
template <bool kRms>
void backward(const OpCall& call) {
  const Tensor& x = *call.in[1];
  const std::int64_t C = x.size(-1), R = rows_of(x);
  const float* mean = kRms ? nullptr : in_ptr<float>(call.in[3]);
  const float* rstd = in_ptr<float>(call.in[kRms ? 3 : 4]);
  Tensor* dweight = call.aux[0];
  Tensor* dbias = kRms ? nullptr : call.aux[1];
  cudaStream_t stream = stream_of(call);
  by_float_type(call.out->dtype(), [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    const T *dy = in_ptr<T>(call.in[0]), *xp = in_ptr<T>(&x);
    launch_norm_backward<T, kRms>(R, C, dy, xp, in_ptr<T>(call.in[2]), mean, rstd,
                                  out_ptr<T>(call.out), stream);
    if ((!dweight && !dbias) || C == 0) return;
    if (R == 0) {  // sums over no rows
      for (Tensor* grad : {dweight, dbias})
        if (grad) FORGE_CUDA_CHECK(cudaMemsetAsync(grad->data_ptr(), 0, C * sizeof(T), stream));
      return;
    }
    const std::int64_t chunks = (R + norm_chunk_rows(R) - 1) / norm_chunk_rows(R);
    Tensor partial_w = dweight ? Tensor::empty({chunks, C}, DType::f32, x.device()) : Tensor();
    Tensor partial_b = dbias ? Tensor::empty({chunks, C}, DType::f32, x.device()) : Tensor();
    float* pw = dweight ? out_ptr<float>(&partial_w) : nullptr;
    float* pb = dbias ? out_ptr<float>(&partial_b) : nullptr;
    launch_norm_param_partials<T, kRms>(R, C, dy, xp, mean, rstd, pw, pb, stream);
    if (dweight) launch_sum_chunks(chunks, C, pw, out_ptr<T>(dweight), stream);
    if (dbias) launch_sum_chunks(chunks, C, pb, out_ptr<T>(dbias), stream);
  });
}

}  // namespace

void layer_norm(const OpCall& call) { forward<false>(call); }
void layer_norm_backward(const OpCall& call) { backward<false>(call); }
void rms_norm(const OpCall& call) { forward<true>(call); }
void rms_norm_backward(const OpCall& call) { backward<true>(call); }

}  // namespace forge::cuda
