#include <forge/error.h>
#include <forge/ops.h>

#include "backend/cuda/context.h"
#include "dist/mpi/mpi_world.h"
#include "dist/nccl/nccl_world.h"
#include "dist/tcp_rendezvous.h"

#include <cuda_runtime.h>
#include <nccl.h>

#include <cstdlib>
#include <cstring>

// Every CUDA and NCCL call goes through these: a failure names the call and the library's
// own message.
#define FORGE_CUDA_CALL(call)                                                                \
  do {                                                                                       \
    if (cudaError_t cuda_status_ = (call); cuda_status_ != cudaSuccess)                      \
      throw ::forge::Error(                                                                  \
          ::forge::cat("CUDA call ", #call, " failed: ", cudaGetErrorString(cuda_status_))); \
  } while (0)
#define FORGE_NCCL_CALL(call)                                                          \
  do {                                                                                 \
    if (ncclResult_t nccl_status_ = (call); nccl_status_ != ncclSuccess)               \
      throw ::forge::Error(::forge::cat("NCCL call ", #call,                           \
                                        " failed: ", ncclGetErrorString(nccl_status_), \
                                        " (set NCCL_DEBUG=INFO for NCCL's account)")); \
  } while (0)

namespace forge {
namespace {

ncclDataType_t nccl_type(DType dtype) {
  switch (dtype) {
    case DType::f32:
      return ncclFloat32;
    case DType::bf16:
      return ncclBfloat16;
    case DType::i32:
      return ncclInt32;
    case DType::f64:
      return ncclFloat64;
  }
  FORGE_CHECK(false, "unknown dtype");
  return ncclFloat32;
}

struct Placement {
  int rank = 0, size = 1, local_rank = 0, local_size = 1;
};

// A sum running on the communicator's side stream. wait() makes the compute stream wait for
// it, without blocking the host; the tensor is kept until then, so that the stream-ordered
// allocator cannot reuse its memory while NCCL still reads it.
class NcclPending final : public PendingCollective {
 public:
  NcclPending(Tensor tensor, cudaEvent_t done, cudaStream_t compute)
      : tensor_(std::move(tensor)), done_(done), compute_(compute) {}
  ~NcclPending() override {
    if (done_) cudaEventDestroy(done_);  // released once the event has completed
  }
  void wait() override {
    if (!done_) return;
    FORGE_CUDA_CALL(cudaStreamWaitEvent(compute_, done_, 0));
    FORGE_CUDA_CALL(cudaEventDestroy(done_));
    done_ = nullptr;
    tensor_ = Tensor();
  }

 private:
  Tensor tensor_;
  cudaEvent_t done_;
  cudaStream_t compute_;
};

class NcclCommunicator final : public Communicator {
 public:
  NcclCommunicator(const Placement& placement, const ncclUniqueId& id) : placement_(placement) {
    device_ = placement.local_rank;
    int devices = 0;
    FORGE_CUDA_CALL(cudaGetDeviceCount(&devices));
    if (device_ >= devices)
      throw Error(cat("rank ", placement.rank, " has local rank ", device_,
                      " but its machine shows ", devices, " GPUs; start at most one rank per GPU"));
    // The device's one stream: collectives stay in order with the kernels that made their
    // tensors, without further synchronisation.
    stream_ = cuda::activate(device_);
    FORGE_NCCL_CALL(ncclCommInitRank(&comm_, placement.size, id, placement.rank));
  }
  ~NcclCommunicator() override {
    if (comm_) ncclCommDestroy(comm_);
    if (side_) cudaStreamDestroy(side_);
  }

  int rank() const override { return placement_.rank; }
  int size() const override { return placement_.size; }
  int local_rank() const override { return placement_.local_rank; }
  int local_size() const override { return placement_.local_size; }
  std::string backend() const override { return "nccl"; }

  void all_reduce(const Tensor& tensor, ReduceOp op) override {
    Staged buffer = stage(tensor);
    FORGE_NCCL_CALL(ncclAllReduce(buffer.device.data_ptr(), buffer.device.data_ptr(),
                                  static_cast<std::size_t>(tensor.numel()),
                                  nccl_type(tensor.dtype()),
                                  op == ReduceOp::max ? ncclMax : ncclSum, comm_, stream_));
    finish(buffer, tensor);
  }

  // GPU tensors: the sum runs on a side stream once the compute stream has made the tensor,
  // so that backward's later kernels run beside it. CPU tensors are summed at once.
  std::unique_ptr<PendingCollective> all_reduce_async(const Tensor& tensor) override {
    if (tensor.device().type != Device::Type::cuda) return Communicator::all_reduce_async(tensor);
    Staged buffer = stage(tensor, false);
    if (!side_) FORGE_CUDA_CALL(cudaStreamCreateWithFlags(&side_, cudaStreamNonBlocking));
    cudaEvent_t ready = nullptr, done = nullptr;
    FORGE_CUDA_CALL(cudaEventCreateWithFlags(&ready, cudaEventDisableTiming));
    FORGE_CUDA_CALL(cudaEventRecord(ready, stream_));
    FORGE_CUDA_CALL(cudaStreamWaitEvent(side_, ready, 0));
    FORGE_CUDA_CALL(cudaEventDestroy(ready));
    FORGE_NCCL_CALL(ncclAllReduce(buffer.device.data_ptr(), buffer.device.data_ptr(),
                                  static_cast<std::size_t>(tensor.numel()),
                                  nccl_type(tensor.dtype()), ncclSum, comm_, side_));
    FORGE_CUDA_CALL(cudaEventCreateWithFlags(&done, cudaEventDisableTiming));
    FORGE_CUDA_CALL(cudaEventRecord(done, side_));
    return std::make_unique<NcclPending>(tensor, done, stream_);
  }

  void reduce_scatter(const Tensor& input, const Tensor& output) override {
    FORGE_CHECK(input.numel() == output.numel() * size(),
                "reduce_scatter input must hold one output-sized chunk per rank");
    Staged in = stage(input), out = stage(output);
    FORGE_NCCL_CALL(ncclReduceScatter(in.device.data_ptr(), out.device.data_ptr(),
                                      static_cast<std::size_t>(output.numel()),
                                      nccl_type(input.dtype()), ncclSum, comm_, stream_));
    finish(out, output);
  }

  void all_gather(const Tensor& input, const Tensor& output) override {
    FORGE_CHECK(output.numel() == input.numel() * size(),
                "all_gather output must hold one input-sized chunk per rank");
    Staged in = stage(input), out = stage(output);
    FORGE_NCCL_CALL(ncclAllGather(in.device.data_ptr(), out.device.data_ptr(),
                                  static_cast<std::size_t>(input.numel()), nccl_type(input.dtype()),
                                  comm_, stream_));
    finish(out, output);
  }

  void broadcast(const Tensor& tensor, int root) override {
    Staged buffer = stage(tensor);
    FORGE_NCCL_CALL(ncclBroadcast(buffer.device.data_ptr(), buffer.device.data_ptr(),
                                  static_cast<std::size_t>(tensor.numel()),
                                  nccl_type(tensor.dtype()), root, comm_, stream_));
    finish(buffer, tensor);
  }

  void barrier() override {
    Tensor token = Tensor::zeros({1});
    all_reduce(token, ReduceOp::sum);
  }

  [[noreturn]] void abort(int exit_code) override {
    if (comm_) ncclCommAbort(comm_);
    comm_ = nullptr;
    std::_Exit(exit_code);
  }

 private:
  // A collective's buffer on this rank's GPU: the tensor itself, or a device copy of a CPU one.
  struct Staged {
    Tensor device;
    bool copied = false;
  };

  // Every collective of this communicator runs after the sums already on the side stream: NCCL
  // needs one communicator's operations in one order, and two streams would let them overlap.
  void after_side_stream() const {
    if (!side_) return;
    cudaEvent_t drained = nullptr;
    FORGE_CUDA_CALL(cudaEventCreateWithFlags(&drained, cudaEventDisableTiming));
    FORGE_CUDA_CALL(cudaEventRecord(drained, side_));
    FORGE_CUDA_CALL(cudaStreamWaitEvent(stream_, drained, 0));
    FORGE_CUDA_CALL(cudaEventDestroy(drained));
  }

  // `after_side` false: the side stream's own sums, which its order already keeps in line.
  Staged stage(const Tensor& tensor, bool after_side = true) const {
    if (after_side) after_side_stream();
    FORGE_CHECK(tensor.is_contiguous(), "NCCL collectives need contiguous tensors");
    if (tensor.device().type == Device::Type::cuda) {
      FORGE_CHECK(tensor.device().index == device_, "a tensor on ", tensor.device().str(),
                  " given to the NCCL communicator of cuda:", device_);
      return {tensor, false};
    }
    return {tensor.to(Device::cuda(device_)), true};  // a copy on the same stream
  }

  void finish(const Staged& buffer, const Tensor& tensor) const {
    FORGE_CUDA_CALL(cudaStreamSynchronize(stream_));
    if (buffer.copied) ops::copy_into(tensor, buffer.device.to(Device::cpu()));
  }

  Placement placement_;
  int device_ = 0;
  cudaStream_t stream_ = nullptr;
  cudaStream_t side_ = nullptr;  // all_reduce_async's, made on first use
  ncclComm_t comm_ = nullptr;
};

// NCCL's id, made by rank 0 and shared with the others over the MPI world or TCP.
Communicator* make_world() {
  ncclUniqueId id{};
  Placement placement;
  // Not process_world(): that may be this very communicator.
  std::optional<EnvironmentWorld> environment = environment_world();
  const bool from_mpi = launched_by_mpi();
  Communicator* host = from_mpi ? &mpi_world() : nullptr;
  if (from_mpi)
    placement = {host->rank(), host->size(), host->local_rank(), host->local_size()};
  else if (environment && environment->size > 1)
    placement = {environment->rank, environment->size, environment->local_rank, 0};
  if (placement.rank == 0) FORGE_NCCL_CALL(ncclGetUniqueId(&id));
  const std::string mine(reinterpret_cast<const char*>(&id), sizeof id);
  std::string shared = mine;
  if (from_mpi)
    shared = host->broadcast(mine, 0);
  else if (placement.size > 1)
    shared = share_over_tcp(mine, *environment);
  FORGE_CHECK(shared.size() == sizeof id, "NCCL's unique id arrived with ", shared.size(),
              " bytes instead of ", sizeof id);
  std::memcpy(&id, shared.data(), sizeof id);
  if (placement.local_size == 0) {
    const char* local = std::getenv("LOCAL_WORLD_SIZE");
    placement.local_size = local ? std::atoi(local) : 1;
  }
  return new NcclCommunicator(placement, id);
}

}  // namespace

bool nccl_built() { return true; }

Communicator& nccl_world() {
  // Kept until exit: NCCL's teardown at static destruction would race the CUDA runtime's.
  static Communicator* world = make_world();
  return *world;
}

}  // namespace forge
