#include <forge/error.h>

#include "dist/mpi/mpi_world.h"

// The C API only: Open MPI's and MPICH's deprecated C++ bindings would need their own library.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include <climits>
#include <cstdlib>

// Every MPI call goes through this: a failed call names itself and MPI's own message.
#define FORGE_MPI_CALL(call)                                  \
  do {                                                        \
    if (int mpi_status_ = (call); mpi_status_ != MPI_SUCCESS) \
      ::forge::mpi_failed(#call, mpi_status_);                \
  } while (0)

namespace forge {

[[noreturn]] void mpi_failed(const char* call, int status) {
  char message[MPI_MAX_ERROR_STRING] = {};
  int length = 0;
  MPI_Error_string(status, message, &length);
  throw Error(
      cat("MPI call ", call, " failed: ", std::string(message, static_cast<std::size_t>(length))));
}

namespace {

MPI_Datatype mpi_type(DType dtype, bool reducing, const char* collective) {
  switch (dtype) {
    case DType::f32:
      return MPI_FLOAT;
    case DType::f64:
      return MPI_DOUBLE;
    case DType::i32:
      return MPI_INT32_T;
    case DType::bf16:
      if (reducing)
        throw Error(cat("[", collective, "] MPI cannot sum bf16 tensors; reduce f32 copies"));
      return MPI_UINT16_T;  // moved as raw 16-bit words
  }
  FORGE_CHECK(false, "unknown dtype");
  return MPI_DATATYPE_NULL;
}

int element_count(const Tensor& tensor, const char* collective) {
  FORGE_CHECK(tensor.is_contiguous(), collective, " needs a contiguous tensor");
  FORGE_CHECK(tensor.device() == Device::cpu(), collective, " over MPI needs a CPU tensor, not ",
              tensor.device().str());
  FORGE_CHECK(tensor.numel() <= INT_MAX, collective, " of ", tensor.numel(),
              " elements exceeds MPI's int count");
  return static_cast<int>(tensor.numel());
}

// A nonblocking MPI sum; waited for when dropped, so that no request outlives its buffer.
class MpiPending final : public PendingCollective {
 public:
  explicit MpiPending(Tensor tensor) : tensor_(std::move(tensor)) {}
  ~MpiPending() override {
    if (request_ != MPI_REQUEST_NULL) MPI_Wait(&request_, MPI_STATUS_IGNORE);
  }
  void wait() override { FORGE_MPI_CALL(MPI_Wait(&request_, MPI_STATUS_IGNORE)); }
  MPI_Request* request() { return &request_; }

 private:
  Tensor tensor_;
  MPI_Request request_ = MPI_REQUEST_NULL;
};

class MpiCommunicator final : public Communicator {
 public:
  MpiCommunicator() {
    int initialised = 0;
    FORGE_MPI_CALL(MPI_Initialized(&initialised));
    if (!initialised) {
      int provided = 0;
      // Collectives come from the main thread only; kernels' worker threads never call MPI.
      FORGE_MPI_CALL(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided));
      std::atexit(finalize);
    }
    FORGE_MPI_CALL(MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN));
    FORGE_MPI_CALL(MPI_Comm_rank(MPI_COMM_WORLD, &rank_));
    FORGE_MPI_CALL(MPI_Comm_size(MPI_COMM_WORLD, &size_));
    MPI_Comm local;
    FORGE_MPI_CALL(
        MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &local));
    FORGE_MPI_CALL(MPI_Comm_rank(local, &local_rank_));
    FORGE_MPI_CALL(MPI_Comm_size(local, &local_size_));
    FORGE_MPI_CALL(MPI_Comm_free(&local));
  }

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  int local_rank() const override { return local_rank_; }
  int local_size() const override { return local_size_; }
  std::string backend() const override { return "mpi"; }

  void all_reduce(const Tensor& tensor, ReduceOp op) override {
    const int count = element_count(tensor, "all_reduce");
    FORGE_MPI_CALL(MPI_Allreduce(MPI_IN_PLACE, tensor.data_ptr(), count,
                                 mpi_type(tensor.dtype(), true, "all_reduce"), mpi_op(op),
                                 MPI_COMM_WORLD));
  }

  std::unique_ptr<PendingCollective> all_reduce_async(const Tensor& tensor) override {
    const int count = element_count(tensor, "all_reduce_async");
    auto pending = std::make_unique<MpiPending>(tensor);
    FORGE_MPI_CALL(MPI_Iallreduce(MPI_IN_PLACE, tensor.data_ptr(), count,
                                  mpi_type(tensor.dtype(), true, "all_reduce_async"), MPI_SUM,
                                  MPI_COMM_WORLD, pending->request()));
    return pending;
  }

  void reduce_scatter(const Tensor& input, const Tensor& output) override {
    const int count = element_count(output, "reduce_scatter");
    FORGE_CHECK(element_count(input, "reduce_scatter") == count * size_,
                "reduce_scatter input must hold one output-sized chunk per rank");
    FORGE_CHECK(input.dtype() == output.dtype(), "reduce_scatter dtypes differ");
    FORGE_MPI_CALL(MPI_Reduce_scatter_block(input.data_ptr(), output.data_ptr(), count,
                                            mpi_type(input.dtype(), true, "reduce_scatter"),
                                            MPI_SUM, MPI_COMM_WORLD));
  }

  void all_gather(const Tensor& input, const Tensor& output) override {
    const int count = element_count(input, "all_gather");
    FORGE_CHECK(element_count(output, "all_gather") == count * size_,
                "all_gather output must hold one input-sized chunk per rank");
    FORGE_CHECK(input.dtype() == output.dtype(), "all_gather dtypes differ");
    const MPI_Datatype type = mpi_type(input.dtype(), false, "all_gather");
    FORGE_MPI_CALL(MPI_Allgather(input.data_ptr(), count, type, output.data_ptr(), count, type,
                                 MPI_COMM_WORLD));
  }

  void broadcast(const Tensor& tensor, int root) override {
    const int count = element_count(tensor, "broadcast");
    FORGE_MPI_CALL(MPI_Bcast(tensor.data_ptr(), count, mpi_type(tensor.dtype(), false, "broadcast"),
                             root, MPI_COMM_WORLD));
  }

  void barrier() override { FORGE_MPI_CALL(MPI_Barrier(MPI_COMM_WORLD)); }

  [[noreturn]] void abort(int exit_code) override {
    MPI_Abort(MPI_COMM_WORLD, exit_code);
    std::_Exit(exit_code);
  }

 private:
  static MPI_Op mpi_op(ReduceOp op) { return op == ReduceOp::max ? MPI_MAX : MPI_SUM; }

  static void finalize() {
    int finalised = 0;
    MPI_Finalized(&finalised);
    if (!finalised) MPI_Finalize();
  }

  int rank_ = 0, size_ = 1, local_rank_ = 0, local_size_ = 1;
};

}  // namespace

Communicator& mpi_world() {
  static MpiCommunicator world;
  return world;
}

}  // namespace forge
