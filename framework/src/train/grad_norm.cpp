#include "train/grad_norm.h"

#include <forge/autograd.h>
#include <forge/dtype.h>
#include <forge/error.h>
#include <forge/ops.h>

#include <forge/parallel.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

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
  // Partial sums over fixed chunks, added in order: the norm does not depend on the thread
  // count, and every chunk reads its floats once with vectorized double accumulators.
  constexpr std::int64_t kChunk = 1 << 16;
  double sum_of_squares = 0.0;
  // Gradients on a device are squared and summed there (in f32, at least); only the total comes
  // back, instead of every gradient crossing to the host each step.
  Tensor device_sum;
  for (const Tensor& grad : grads) {
    if (!grad.defined()) continue;
    FORGE_CHECK(is_floating(grad.dtype()), "a gradient of dtype ", dtype_name(grad.dtype()));
    if (grad.device() != Device::cpu()) {
      NoGradGuard no_grad;
      Tensor wide = grad.dtype() == DType::bf16 ? grad.detach().to(DType::f32) : grad.detach();
      Tensor squares = ops::sum(ops::mul(wide, wide));
      device_sum = device_sum.defined() ? ops::add(device_sum, squares) : squares;
      continue;
    }
    if (grad.dtype() != DType::f32 || !grad.is_contiguous()) {
      for_each_value(grad, [&](double value) {
        sum_of_squares += value * value;
        return true;
      });
      continue;
    }
    const float* data = grad.data<float>();
    const std::int64_t n = grad.numel(), chunks = (n + kChunk - 1) / kChunk;
    std::vector<double> partial(static_cast<std::size_t>(chunks));
    parallel_for(partial.size(), n > 4 * kChunk ? default_threads() : 1, [&](std::size_t c) {
      const std::int64_t begin = static_cast<std::int64_t>(c) * kChunk;
      const std::int64_t end = std::min(n, begin + kChunk);
      double lanes[8] = {};
      std::int64_t i = begin;
      for (; i + 8 <= end; i += 8)
        for (int k = 0; k < 8; ++k) lanes[k] += static_cast<double>(data[i + k]) * data[i + k];
      for (; i < end; ++i) lanes[0] += static_cast<double>(data[i]) * data[i];
      double total = 0;
      for (double lane : lanes) total += lane;
      partial[c] = total;
    });
    for (double part : partial) sum_of_squares += part;
  }
  if (device_sum.defined()) sum_of_squares += device_sum.item();
  return std::sqrt(sum_of_squares);
}

double clip_factor(double norm, double max_norm) {
  if (max_norm <= 0.0 || !std::isfinite(norm) || norm <= max_norm) return 1.0;
  return max_norm / norm;
}

double clip_grad_norm(std::vector<Tensor>& grads, double max_norm) {
  double norm = global_grad_norm(grads);
  const double scale = clip_factor(norm, max_norm);
  if (scale == 1.0) return norm;
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
