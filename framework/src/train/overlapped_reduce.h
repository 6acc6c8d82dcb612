#pragma once

// Gradients summed over the ranks while backward still runs. Buckets of parameters, in the
// reverse of the model's order (about the order backward finishes them), start their sums as
// soon as every gradient in them is complete; they start in bucket order on every rank, so that
// the ranks' collectives match. On a GPU the sums run on NCCL's side stream beside backward.

#include <forge/architecture.h>
#include <forge/export.h>

#include "dist/communicator.h"

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

namespace forge {

struct TensorImpl;

class FORGE_API OverlappedReduce {
 public:
  OverlappedReduce(NamedTensors& params, Communicator& world, std::int64_t bucket_bytes);
  ~OverlappedReduce();
  OverlappedReduce(const OverlappedReduce&) = delete;
  OverlappedReduce& operator=(const OverlappedReduce&) = delete;

  // The next backward() on this thread starts the buckets as it completes them.
  void arm();
  bool armed() const { return armed_; }
  // Collective, after that backward(): starts the buckets it left (missing gradients become
  // zeros), waits for every sum and writes the sums into the gradients.
  void finish();
  std::size_t bucket_count() const { return buckets_.size(); }

 private:
  struct Bucket {
    std::vector<std::size_t> params;
    std::int64_t elements = 0;
    std::size_t ready = 0;
    Tensor flat;  // the bucket's gradients packed, summed in place
    std::unique_ptr<PendingCollective> pending;
  };

  void on_ready(TensorImpl* leaf);
  void start(Bucket& bucket);
  void reset();

  NamedTensors& params_;
  Communicator& world_;
  std::int64_t bucket_bytes_;
  std::vector<Bucket> buckets_;
  std::unordered_map<TensorImpl*, std::size_t> param_of_;
  std::vector<std::size_t> bucket_of_;
  std::vector<bool> seen_;
  std::size_t next_ = 0;  // buckets below it have started
  bool armed_ = false;
  bool repeated_ = false;  // a leaf completed twice in one backward: the sums start over
};

}  // namespace forge
