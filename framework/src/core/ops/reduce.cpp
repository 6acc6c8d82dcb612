#include "core/ops/op_helpers.h"

#include <algorithm>

namespace forge::ops {

Tensor sum(const Tensor& x, std::vector<int> dims, bool keepdim) {
  int n = x.ndim();
  std::vector<bool> reduced(n, dims.empty());
  for (int dim : dims) {
    int d = dim < 0 ? dim + n : dim;
    if (d < 0 || d >= n)
      throw Error(cat("[sum] dimension ", dim, " is out of range for a ", n, "-d tensor"));
    reduced[d] = true;
  }
  Shape kept = x.shape(), squeezed;
  for (int d = 0; d < n; ++d) {
    if (reduced[d]) kept[d] = 1;
    if (!reduced[d]) squeezed.push_back(x.shape()[d]);
  }
  Tensor out = run_unary(OpId::sum, x, kept);
  if (!keepdim) out = out.detach().view(squeezed);
  Shape input_shape = x.shape();
  record_grad(out, "sum", {x}, [input_shape, kept](const Tensor& g) {
    return std::vector<Tensor>{g.reshape(kept).expand(input_shape).contiguous()};
  });
  return out;
}

Tensor mean(const Tensor& x, std::vector<int> dims, bool keepdim) {
  std::int64_t count = 1;
  if (dims.empty()) count = x.numel();
  for (int dim : dims) count *= x.size(dim);
  return affine(sum(x, dims, keepdim), count ? 1.0 / static_cast<double>(count) : 0.0);
}

Tensor sum_to(const Tensor& x, const Shape& shape) {
  if (x.shape() == shape) return x;
  std::size_t lead = x.shape().size() - shape.size();
  std::vector<int> dims;
  for (std::size_t d = 0; d < x.shape().size(); ++d)
    if (d < lead || (shape[d - lead] == 1 && x.shape()[d] != 1))
      dims.push_back(static_cast<int>(d));
  return sum(x, dims, true).reshape(shape);
}

}  // namespace forge::ops
