#pragma once

#include <forge/architecture.h>
#include <forge/export.h>
#include <forge/tensor.h>

#include <string>
#include <vector>

namespace forge {

// The L2 norm of all gradients together, accumulated in double on the host. Undefined tensors
// are skipped; tensors on a device are squared and summed there and only their total is read.
FORGE_API double global_grad_norm(const std::vector<Tensor>& grads);

// The factor that brings gradients of global norm `norm` down to `max_norm`: 1 when they are
// within it, when max_norm <= 0 (no clipping) or when the norm is not finite (for the NaN guard
// to report).
FORGE_API double clip_factor(double norm, double max_norm);

// Scales every gradient in place by clip_factor() and returns the norm before clipping.
FORGE_API double clip_grad_norm(std::vector<Tensor>& grads, double max_norm);

// False when the tensor holds a NaN or an infinity; true for undefined and integer tensors.
FORGE_API bool all_finite(const Tensor& tensor);

// The name of the first tensor holding a NaN or an infinity, or "" when all are finite.
FORGE_API std::string first_non_finite(const NamedTensors& tensors);

}  // namespace forge
