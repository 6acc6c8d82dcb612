#include "cpu_kernels.h"
#include "strided.h"

#include <vector>

namespace forge::cpu {

// out has x's rank with size 1 on every reduced dim. Each x element adds into the out element
// at its index with reduced dims zeroed: out's strides with 0 wherever out is 1 and x is not.
void sum(const OpCall& call) {
  const Tensor& x = *call.in[0];
  const Tensor& out = *call.out;
  FORGE_CHECK(out.is_contiguous(), "sum writes a contiguous output");
  Shape target_strides = out.strides();
  for (int d = 0; d < x.ndim(); ++d)
    if (out.shape()[d] == 1 && x.shape()[d] != 1) target_strides[d] = 0;
  std::vector<double> total(static_cast<std::size_t>(out.numel()), 0.0);
  auto accumulate = [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    const T* data = static_cast<const T*>(x.data_ptr());
    for_each_run<2>(x.shape(), {&x.strides(), &target_strides},
                    [&](const auto& at, std::int64_t n, const auto& step) {
                      for (std::int64_t i = 0; i < n; ++i)
                        total[at[1] + i * step[1]] +=
                            static_cast<double>(static_cast<Acc<T>>(data[at[0] + i * step[0]]));
                    });
    T* o = static_cast<T*>(out.data_ptr());
    for (std::size_t i = 0; i < total.size(); ++i) {
      if constexpr (std::is_same_v<T, bf16_t>)
        o[i] = bf16_t(static_cast<float>(total[i]));
      else
        o[i] = static_cast<T>(total[i]);
    }
  };
  switch (x.dtype()) {
    case DType::f32:
      return accumulate(static_cast<float*>(nullptr));
    case DType::f64:
      return accumulate(static_cast<double*>(nullptr));
    case DType::bf16:
      return accumulate(static_cast<bf16_t*>(nullptr));
    case DType::i32:
      break;
  }
  FORGE_CHECK(false, "sum called for ", dtype_name(x.dtype()));
}

}  // namespace forge::cpu
