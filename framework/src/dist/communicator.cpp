#include "dist/communicator.h"

#include <forge/error.h>
#include <forge/ops.h>

#include "backend/devices.h"
#include "dist/mpi/mpi_world.h"
#include "dist/nccl/nccl_world.h"
#include "dist/tcp_rendezvous.h"

#include <cstdlib>
#include <cstring>

namespace forge {
namespace {

// One process: every collective is the identity (or a copy between two tensors).
class SingleProcess final : public Communicator {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  int local_rank() const override { return 0; }
  int local_size() const override { return 1; }
  std::string backend() const override { return "single process"; }
  void all_reduce(const Tensor&, ReduceOp) override {}
  void reduce_scatter(const Tensor& input, const Tensor& output) override {
    ops::copy_into(output, input.view({-1}).view(output.shape()));
  }
  void all_gather(const Tensor& input, const Tensor& output) override {
    ops::copy_into(output, input.view({-1}).view(output.shape()));
  }
  void broadcast(const Tensor&, int) override {}
  void barrier() override {}
  [[noreturn]] void abort(int exit_code) override { std::_Exit(exit_code); }
};

bool variable_above_one(const char* name) {
  const char* value = std::getenv(name);
  return value && std::atoi(value) > 1;
}

}  // namespace

Communicator::~Communicator() = default;
PendingCollective::~PendingCollective() = default;

namespace {

struct FinishedCollective final : PendingCollective {
  void wait() override {}
};

}  // namespace

std::unique_ptr<PendingCollective> Communicator::all_reduce_async(const Tensor& tensor) {
  all_reduce(tensor, ReduceOp::sum);
  return std::make_unique<FinishedCollective>();
}

std::vector<double> Communicator::all_reduce(std::vector<double> values, ReduceOp op) {
  if (size() == 1 || values.empty()) return values;
  Tensor tensor = Tensor::from_doubles(values, {static_cast<std::int64_t>(values.size())});
  all_reduce(tensor, op);
  std::memcpy(values.data(), tensor.data<double>(), values.size() * sizeof(double));
  return values;
}

std::string Communicator::broadcast(const std::string& text, int root) {
  if (size() == 1) return text;
  std::vector<std::int32_t> length = {static_cast<std::int32_t>(text.size())};
  Tensor size_tensor = Tensor::from_ints(length, {1});
  broadcast(size_tensor, root);
  const std::int32_t bytes = size_tensor.data<std::int32_t>()[0];
  // Whole 32-bit words carry the bytes; the tail is padding.
  std::vector<std::int32_t> words(static_cast<std::size_t>(bytes + 3) / 4 + 1, 0);
  std::memcpy(words.data(), text.data(), rank() == root ? text.size() : 0);
  Tensor payload = Tensor::from_ints(words, {static_cast<std::int64_t>(words.size())});
  broadcast(payload, root);
  return std::string(reinterpret_cast<const char*>(payload.data<std::int32_t>()),
                     static_cast<std::size_t>(bytes));
}

bool launched_by_mpi() {
  return variable_above_one("OMPI_COMM_WORLD_SIZE") || variable_above_one("PMI_SIZE") ||
         variable_above_one("PMIX_SIZE") || std::getenv("PMIX_RANK") ||
         variable_above_one("SLURM_STEP_NUM_TASKS");
}

Communicator& single_process() {
  static SingleProcess alone;
  return alone;
}

namespace {
Communicator* g_world = nullptr;

// mpirun or srun: MPI. RANK/WORLD_SIZE alone: NCCL, when there are GPUs to run it on.
Communicator* choose_world() {
  if (launched_by_mpi()) return &mpi_world();
  std::optional<EnvironmentWorld> environment = environment_world();
  if (environment && environment->size > 1 && nccl_built() && !visible_gpus().empty())
    return &nccl_world();
  return &single_process();
}

}  // namespace

Communicator& process_world() {
  static Communicator* world = choose_world();
  g_world = world;
  return *world;
}

std::string rank_prefix() {
  if (!g_world || g_world->rank() == 0) return "";
  return "rank " + std::to_string(g_world->rank()) + ": ";
}

void end_all_ranks_if_parallel(int exit_code) {
  if (g_world && g_world->size() > 1) g_world->abort(exit_code);
}

}  // namespace forge
