#include "train/grad_norm.h"

#include <forge/autograd.h>
#include <forge/dtype.h>
#include <forge/error.h>
#include <forge/ops.h>

#include <cmath>
#include <cstdint>

namespace forge {
namespace {

// Calls `visit(double)` on every element, reading a contiguous host copy when needed. Returns
// early when `visit` returns false.
template <class Visit>
void for_each_value(const Tensor& tensor, Visit visit) {
  NoGradGuard no_grad;
  Tensor host = tensor.device() == Device::cpu() ? tensor : tensor.to(Device::cpu());
  host = host.contiguous();
  auto walk = [&](const auto* values) {
    for (std::int64_t i = 0, n = host.numel(); i < n; ++i)
      if (!visit(static_cast<double>(values[i]))) return;
  };
  switch (host.dtype()) {
    case DType::f32:
      return walk(host.data<float>());
    case DType::bf16:
      return walk(host.data<bf16_t>());
    case DType::f64:
      return walk(host.data<double>());
    case DType::i32:
      return walk(host.data<std::int32_t>());
  }
  FORGE_CHECK(false, "unknown dtype ", static_cast<int>(host.dtype()));
}

}  // namespace

double global_grad_norm(const std::vector<Tensor>& grads) {
  double sum_of_squares = 0.0;
  for (const Tensor& grad : grads) {
    if (!grad.defined()) continue;
    FORGE_CHECK(is_floating(grad.dtype()), "a gradient of dtype ", dtype_name(grad.dtype()));
    for_each_value(grad, [&](double value) {
      sum_of_squares += value * value;
      return true;
    });
  }
  return std::sqrt(sum_of_squares);
}

double clip_grad_norm(std::vector<Tensor>& grads, double max_norm) {
  double norm = global_grad_norm(grads);
  if (max_norm <= 0.0 || !std::isfinite(norm) || norm <= max_norm) return norm;
  const double scale = max_norm / norm;
  NoGradGuard no_grad;
  for (Tensor& grad : grads)
    if (grad.defined()) ops::copy_into(grad, ops::affine(grad, scale));
  return norm;
}

bool all_finite(const Tensor& tensor) {
  if (!tensor.defined() || !is_floating(tensor.dtype())) return true;
  bool finite = true;
  for_each_value(tensor, [&](double value) { return finite = std::isfinite(value); });
  return finite;
}

std::string first_non_finite(const NamedTensors& tensors) {
  for (const auto& [name, tensor] : tensors)
    if (!all_finite(tensor)) return name;
  return "";
}

}  // namespace forge
