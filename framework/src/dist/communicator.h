#pragma once

// The processes of one run and the collectives data parallelism needs. Tensors are contiguous
// and on the device the implementation serves (the CPU for MPI); every rank calls every
// collective in the same order with tensors of the same shape and dtype.

#include <forge/export.h>
#include <forge/tensor.h>

#include <memory>
#include <string>
#include <vector>

namespace forge {

enum class ReduceOp { sum, max };

// A collective under way; wait() returns once its result is in the tensor (on a GPU: once the
// device's stream will see it).
class FORGE_API PendingCollective {
 public:
  virtual ~PendingCollective();
  virtual void wait() = 0;
};

class FORGE_API Communicator {
 public:
  virtual ~Communicator();

  virtual int rank() const = 0;
  virtual int size() const = 0;
  // This process's place among the ranks on its machine.
  virtual int local_rank() const = 0;
  virtual int local_size() const = 0;
  // "mpi", "single process", ...: what the log names.
  virtual std::string backend() const = 0;

  // In place on every rank.
  virtual void all_reduce(const Tensor& tensor, ReduceOp op = ReduceOp::sum) = 0;
  // The same sum, started now and finished by wait(), so that work can go on meanwhile; the
  // tensor must stay untouched until then. By default it is done before this returns.
  virtual std::unique_ptr<PendingCollective> all_reduce_async(const Tensor& tensor);
  // `input` holds size() equal chunks; rank r receives the sum of every rank's chunk r.
  virtual void reduce_scatter(const Tensor& input, const Tensor& output) = 0;
  // `output` holds size() chunks, chunk r being rank r's `input`.
  virtual void all_gather(const Tensor& input, const Tensor& output) = 0;
  // Every rank's `tensor` receives root's.
  virtual void broadcast(const Tensor& tensor, int root) = 0;
  virtual void barrier() = 0;
  // Ends every process of the run at once: one rank's failure must not leave the others
  // waiting in a collective.
  [[noreturn]] virtual void abort(int exit_code) = 0;

  bool is_root() const { return rank() == 0; }
  // Conveniences over the tensor collectives, for scalars and names.
  std::vector<double> all_reduce(std::vector<double> values, ReduceOp op = ReduceOp::sum);
  std::string broadcast(const std::string& text, int root);
};

// The world of this process: an MPI world when mpirun or srun started it (and this build has
// MPI); an NCCL world when RANK/WORLD_SIZE say it is one of several and it has a GPU; else
// this process alone. Made on first use and kept until the process exits.
FORGE_API Communicator& process_world();

// Whether the environment says a launcher started several processes of one run: mpirun's
// OMPI_COMM_WORLD_SIZE, PMI/PMIx's variables, or srun's SLURM_NTASKS.
FORGE_API bool launched_by_mpi();

// After a failure: when this process is one of several ranks, ends them all with `exit_code`
// (a rank leaving alone would leave the others waiting); otherwise returns.
FORGE_API void end_all_ranks_if_parallel(int exit_code);

// "rank N: " on ranks above 0 of a parallel run, else "": for messages every rank prints.
FORGE_API std::string rank_prefix();

// The communicator of a process alone, for tests and single-process runs.
FORGE_API Communicator& single_process();

}  // namespace forge
