#include <forge/random.h>
#include <forge/tensor.h>

#include "core/tensor_impl.h"

namespace forge {
namespace {

template <class T>
void store(const Tensor& out, std::int64_t n, auto value_at) {
  T* data = static_cast<T*>(out.data_ptr());
  for (std::int64_t i = 0; i < n; ++i) data[i] = static_cast<T>(value_at(i));
}

// Fills a new contiguous CPU tensor of `dtype` from value_at(i), converting per element.
Tensor make_filled(const Shape& shape, DType dtype, auto value_at) {
  Tensor out = Tensor::empty(shape, dtype);
  std::int64_t n = out.numel();
  switch (dtype) {
    case DType::f32:
      store<float>(out, n, value_at);
      break;
    case DType::bf16:
      store<bf16_t>(out, n, [&](std::int64_t i) { return static_cast<float>(value_at(i)); });
      break;
    case DType::i32:
      store<std::int32_t>(out, n, value_at);
      break;
    case DType::f64:
      store<double>(out, n, value_at);
      break;
  }
  return out;
}

void check_count(std::size_t values, const Shape& shape) {
  if (static_cast<std::int64_t>(values) != shape_numel(shape))
    throw Error(cat(values, " values cannot fill a tensor of shape ", shape_str(shape)));
}

}  // namespace

Tensor Tensor::from_floats(std::span<const float> values, const Shape& shape) {
  check_count(values.size(), shape);
  return make_filled(shape, DType::f32, [&](std::int64_t i) { return values[i]; });
}

Tensor Tensor::from_doubles(std::span<const double> values, const Shape& shape, DType dtype) {
  check_count(values.size(), shape);
  return make_filled(shape, dtype, [&](std::int64_t i) { return values[i]; });
}

Tensor Tensor::from_ints(std::span<const std::int32_t> values, const Shape& shape) {
  check_count(values.size(), shape);
  return make_filled(shape, DType::i32, [&](std::int64_t i) { return values[i]; });
}

Tensor Tensor::randn(const Shape& shape, Generator& generator, double std, DType dtype) {
  return make_filled(shape, dtype, [&](std::int64_t) { return generator.normal() * std; });
}

Tensor Tensor::uniform(const Shape& shape, Generator& generator, double low, double high,
                       DType dtype) {
  return make_filled(shape, dtype,
                     [&](std::int64_t) { return low + (high - low) * generator.uniform(); });
}

std::vector<double> Tensor::to_doubles() const {
  Tensor host = device() == Device::cpu() ? *this : detach().to(Device::cpu());
  host = host.detach().contiguous();
  std::vector<double> out(static_cast<std::size_t>(host.numel()));
  auto copy = [&](auto* data) {
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<double>(data[i]);
  };
  switch (host.dtype()) {
    case DType::f32:
      copy(host.data<float>());
      break;
    case DType::bf16: {
      const bf16_t* data = host.data<bf16_t>();
      for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<float>(data[i]);
      break;
    }
    case DType::i32:
      copy(host.data<std::int32_t>());
      break;
    case DType::f64:
      copy(host.data<double>());
      break;
  }
  return out;
}

double Tensor::item() const {
  if (numel() != 1)
    throw Error(cat("item() needs a one-element tensor, not shape ", shape_str(shape())));
  return to_doubles()[0];
}

}  // namespace forge
