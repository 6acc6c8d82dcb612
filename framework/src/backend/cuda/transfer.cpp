// The copy op on CUDA: within one device by the strided copy kernel, and between the host and a
// device by one contiguous transfer in the source's dtype, with any strides and dtype
// conversion done by a kernel on the side that has them.
#include <forge/ops.h>

#include "backend/cuda/context.h"
#include "cuda_check.h"
#include "cuda_kernels.h"

namespace forge::cuda {
namespace {

bool takes_bytes_as_they_are(const Tensor& dst, const Tensor& src) {
  return dst.is_contiguous() && dst.dtype() == src.dtype();
}

void upload(const Tensor& dst, const Tensor& src) {
  Tensor host = src.detach().contiguous();
  Tensor staged = takes_bytes_as_they_are(dst, src)
                      ? dst
                      : Tensor::empty(src.shape(), src.dtype(), dst.device());
  cudaStream_t stream = activate(dst.device().index);
  const std::size_t bytes = static_cast<std::size_t>(src.numel()) * dtype_size(src.dtype());
  FORGE_CUDA_CHECK(
      cudaMemcpyAsync(staged.data_ptr(), host.data_ptr(), bytes, cudaMemcpyHostToDevice, stream));
  // The host buffer may be freed and reused as soon as this returns.
  FORGE_CUDA_CHECK(cudaStreamSynchronize(stream));
  if (!staged.same_storage(dst)) ops::copy_into(dst, staged);
}

void download(const Tensor& dst, const Tensor& src) {
  Tensor dense = src.detach().contiguous();
  Tensor host = takes_bytes_as_they_are(dst, src) ? dst : Tensor::empty(src.shape(), src.dtype());
  cudaStream_t stream = activate(src.device().index);
  const std::size_t bytes = static_cast<std::size_t>(src.numel()) * dtype_size(src.dtype());
  FORGE_CUDA_CHECK(
      cudaMemcpyAsync(host.data_ptr(), dense.data_ptr(), bytes, cudaMemcpyDeviceToHost, stream));
  FORGE_CUDA_CHECK(cudaStreamSynchronize(stream));
  if (!host.same_storage(dst)) ops::copy_into(dst, host);
}

}  // namespace

void copy(const OpCall& call) {
  const Tensor &src = *call.in[0], &dst = *call.out;
  if (src.device() == dst.device()) return copy_on_device(call);
  if (src.numel() == 0) return;
  if (dst.device().type == Device::Type::cuda) return upload(dst, src);
  download(dst, src);
}

}  // namespace forge::cuda
