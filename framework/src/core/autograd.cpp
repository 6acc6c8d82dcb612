#include <forge/autograd.h>
#include <forge/ops.h>

#include "core/tensor_impl.h"

#include <unordered_map>
#include <unordered_set>

namespace forge {
namespace {

thread_local bool g_grad_enabled = true;
thread_local GradReadyHook g_grad_ready;

struct LambdaNode : GradNode {
  BackwardFunction function;
  std::vector<Tensor> backward(const Tensor& grad_output) override { return function(grad_output); }
};

// Tensors reachable from `root` through grad_fn, each after every tensor that uses it.
std::vector<TensorImpl*> topological_order(TensorImpl* root) {
  std::vector<TensorImpl*> order;
  std::unordered_set<TensorImpl*> seen;
  std::vector<std::pair<TensorImpl*, std::size_t>> stack{{root, 0}};
  seen.insert(root);
  while (!stack.empty()) {
    auto& [impl, next] = stack.back();
    if (impl->grad_fn && next < impl->grad_fn->inputs.size()) {
      TensorImpl* input = impl->grad_fn->inputs[next++].impl();
      if (input->requires_grad && seen.insert(input).second) stack.push_back({input, 0});
      continue;
    }
    order.push_back(impl);
    stack.pop_back();
  }
  std::reverse(order.begin(), order.end());
  return order;
}

Tensor accumulate(const Tensor& total, const Tensor& more) {
  return total.defined() ? ops::add(total, more) : more;
}

}  // namespace

bool grad_enabled() { return g_grad_enabled; }
void set_grad_ready_hook(GradReadyHook hook) { g_grad_ready = std::move(hook); }
NoGradGuard::NoGradGuard() : previous_(g_grad_enabled) { g_grad_enabled = false; }
NoGradGuard::~NoGradGuard() { g_grad_enabled = previous_; }
EnableGradGuard::EnableGradGuard() : previous_(g_grad_enabled) { g_grad_enabled = true; }
EnableGradGuard::~EnableGradGuard() { g_grad_enabled = previous_; }

bool any_requires_grad(std::initializer_list<const Tensor*> tensors) {
  if (!g_grad_enabled) return false;
  for (const Tensor* tensor : tensors)
    if (tensor && tensor->defined() && tensor->requires_grad()) return true;
  return false;
}

void record_grad(Tensor& output, const char* op, std::vector<Tensor> inputs,
                 BackwardFunction backward) {
  if (!g_grad_enabled) return;
  bool needed = false;
  for (const Tensor& input : inputs) needed = needed || (input.defined() && input.requires_grad());
  if (!needed) return;
  auto node = std::make_shared<LambdaNode>();
  node->op = op;
  node->inputs = std::move(inputs);
  node->function = std::move(backward);
  output.impl()->grad_fn = std::move(node);
  output.impl()->requires_grad = true;
}

void Tensor::backward(const Tensor& seed) const {
  if (!requires_grad())
    throw Error(cat("backward() on tensor '", name(),
                    "', which does not require a gradient: no input of it was a parameter"));
  Tensor start = seed;
  if (!start.defined()) {
    if (numel() != 1)
      throw Error(cat("backward() without a seed needs a one-element tensor, not shape ",
                      shape_str(shape())));
    start = Tensor::full(shape(), 1.0, dtype(), device());
  }
  NoGradGuard no_grad;  // gradients are plain values; no graph of the backward pass
  std::unordered_map<TensorImpl*, Tensor> grads{{impl(), start}};
  // Nodes taken off the graph stay alive until the walk ends: they own the tensors it visits.
  std::vector<std::shared_ptr<GradNode>> finished;
  for (TensorImpl* impl : topological_order(impl())) {
    auto found = grads.find(impl);
    if (found == grads.end()) continue;
    Tensor grad = std::move(found->second);
    grads.erase(found);
    if (impl->graph_used)
      throw Error(cat("backward() through a graph that an earlier backward() already used (at '",
                      impl->name, "'); compute the result again before differentiating it"));
    if (!impl->grad_fn) {
      impl->grad = accumulate(impl->grad, grad);  // a leaf: keep it
      if (g_grad_ready) g_grad_ready(impl);
      continue;
    }
    std::shared_ptr<GradNode> node = std::move(impl->grad_fn);  // the graph is used once
    impl->graph_used = true;
    finished.push_back(node);
    std::vector<Tensor> input_grads = node->backward(grad);
    FORGE_CHECK(input_grads.size() == node->inputs.size(), "op ", node->op, " returned ",
                input_grads.size(), " gradients for ", node->inputs.size(), " inputs");
    for (std::size_t i = 0; i < input_grads.size(); ++i) {
      const Tensor& input = node->inputs[i];
      if (!input.defined() || !input.requires_grad() || !input_grads[i].defined()) continue;
      FORGE_CHECK(input_grads[i].shape() == input.shape(), "op ", node->op, " gave input ", i,
                  " a gradient of shape ", shape_str(input_grads[i].shape()), " for shape ",
                  shape_str(input.shape()));
      Tensor& slot = grads[input.impl()];
      slot = accumulate(slot, input_grads[i]);
    }
  }
}

}  // namespace forge
