#pragma once

#include <forge/tensor.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace forge {

// A block of memory on one device, freed by the backend that allocated it.
struct FORGE_API Storage {
  Storage(std::size_t bytes, Device device);
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  void* data = nullptr;
  std::size_t bytes = 0;
  Device device;
};

// The op that made a tensor, for the backward pass: its inputs and how to turn the output's
// gradient into theirs (an undefined Tensor for an input that needs none).
struct FORGE_API GradNode {
  virtual ~GradNode() = default;
  virtual std::vector<Tensor> backward(const Tensor& grad_output) = 0;
  std::string op;
  std::vector<Tensor> inputs;
};

struct TensorImpl {
  Shape shape, strides;
  std::int64_t offset = 0;
  DType dtype = DType::f32;
  std::shared_ptr<Storage> storage;
  bool requires_grad = false;
  Tensor grad;
  std::shared_ptr<GradNode> grad_fn;
  bool graph_used = false;  // backward() consumed grad_fn: a second pass has nothing to follow
  std::string name;
};

FORGE_API Shape contiguous_strides(const Shape& shape);

// Makes a tensor over existing storage (views) or new storage (outputs).
FORGE_API Tensor make_view(const Tensor& base, Shape shape, Shape strides, std::int64_t offset);

using BackwardFunction = std::function<std::vector<Tensor>(const Tensor& grad_output)>;

// Records `output` as made by `op` from `inputs` when autograd is on and an input needs a
// gradient. The function must capture saved tensors detached (never `output` itself), so the
// graph holds no cycle.
FORGE_API void record_grad(Tensor& output, const char* op, std::vector<Tensor> inputs,
                           BackwardFunction backward);
FORGE_API bool any_requires_grad(std::initializer_list<const Tensor*> tensors);

// Called by backward() on this thread each time a leaf's gradient of the pass is complete (the
// walk reaches a leaf once, after everything that feeds it), so that data parallelism can start
// summing it over the ranks while the rest of backward runs. An empty hook clears it.
using GradReadyHook = std::function<void(TensorImpl* leaf)>;
FORGE_API void set_grad_ready_hook(GradReadyHook hook);

}  // namespace forge
