// Entry points of the embedding lookup and its backward (embedding.cuh) for the op table.
#include "cuda_kernels.h"
#include "embedding.cuh"

#include <cub/device/device_radix_sort.cuh>

namespace forge::cuda {

void embedding(const OpCall& call) {
  const Tensor& table = *call.in[1];
  const std::int64_t N = call.in[0]->numel(), V = table.size(0), C = table.size(1);
  const auto* ids = in_ptr<std::int32_t>(call.in[0]);
  cudaStream_t stream = stream_of(call);
  Tensor bad = make_flag(table.device(), stream);
  by_float_type(table.dtype(), [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    launch_embedding(N, V, C, ids, in_ptr<T>(&table), out_ptr<T>(call.out),
                     out_ptr<std::int32_t>(&bad), stream);
  });
  const std::int32_t position = read_int(in_ptr<std::int32_t>(&bad), stream);
  if (position != kNoFailure)
    throw Error(cat("[embedding] id ", read_int(ids + position, stream), " at position ", position,
                    " is out of range for a table of ", V, " rows"));
}

void embedding_backward(const OpCall& call) {
  const std::int64_t N = call.in[0]->numel(), V = call.out->size(0), C = call.out->size(1);
  const Device device = call.out->device();
  cudaStream_t stream = stream_of(call);
  Tensor positions = Tensor::empty({N}, DType::i32, device);
  Tensor sorted_ids = Tensor::empty({N}, DType::i32, device);
  Tensor sorted_positions = Tensor::empty({N}, DType::i32, device);
  launch_iota(N, out_ptr<std::int32_t>(&positions), stream);
  if (N > 0) {
    int end_bit = 1;  // ids are in [0, V), checked by the forward pass: sort only their bits
    while (end_bit < 31 && (std::int64_t{1} << end_bit) < V) ++end_bit;
    const auto* ids = in_ptr<std::int32_t>(call.in[0]);
    std::size_t bytes = 0;
    FORGE_CUDA_CHECK(cub::DeviceRadixSort::SortPairs(
        nullptr, bytes, ids, out_ptr<std::int32_t>(&sorted_ids), in_ptr<std::int32_t>(&positions),
        out_ptr<std::int32_t>(&sorted_positions), N, 0, end_bit, stream));
    Tensor scratch = Tensor::empty({static_cast<std::int64_t>(bytes + 3) / 4}, DType::i32, device);
    FORGE_CUDA_CHECK(cub::DeviceRadixSort::SortPairs(
        scratch.data_ptr(), bytes, ids, out_ptr<std::int32_t>(&sorted_ids),
        in_ptr<std::int32_t>(&positions), out_ptr<std::int32_t>(&sorted_positions), N, 0, end_bit,
        stream));
  }
  by_float_type(call.out->dtype(), [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    launch_embedding_backward(N, V, C, in_ptr<std::int32_t>(&sorted_ids),
                              in_ptr<std::int32_t>(&sorted_positions), in_ptr<T>(call.in[1]),
                              out_ptr<T>(call.out), stream);
  });
}

}  // namespace forge::cuda
