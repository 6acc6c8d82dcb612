#pragma once

#include <forge/device.h>
#include <forge/dtype.h>
#include <forge/error.h>
#include <forge/export.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace forge {

class Generator;
struct TensorImpl;
using Shape = std::vector<std::int64_t>;

FORGE_API std::int64_t shape_numel(const Shape& shape);
FORGE_API std::string shape_str(const Shape& shape);  // "[4, 64, 256]"

// An n-dimensional array: shape, strides (in elements), dtype and device over shared storage.
// Copies of a Tensor share everything (a handle); views share storage. Autograd state lives
// with the tensor: a gradient for leaves that require one, and the op that made the others.
class FORGE_API Tensor {
 public:
  Tensor() = default;

  static Tensor empty(const Shape& shape, DType dtype = DType::f32, Device device = {});
  static Tensor zeros(const Shape& shape, DType dtype = DType::f32, Device device = {});
  static Tensor full(const Shape& shape, double value, DType dtype = DType::f32,
                     Device device = {});
  static Tensor from_floats(std::span<const float> values, const Shape& shape);
  static Tensor from_doubles(std::span<const double> values, const Shape& shape,
                             DType dtype = DType::f64);
  static Tensor from_ints(std::span<const std::int32_t> values, const Shape& shape);
  // Normal(0, std) or uniform [low, high) values, drawn from `generator` in element order.
  static Tensor randn(const Shape& shape, Generator& generator, double std = 1.0,
                      DType dtype = DType::f32);
  static Tensor uniform(const Shape& shape, Generator& generator, double low, double high,
                        DType dtype = DType::f32);

  bool defined() const { return impl_ != nullptr; }
  const Shape& shape() const;
  const Shape& strides() const;
  std::int64_t offset() const;
  int ndim() const;
  std::int64_t size(int dim) const;  // negative dims count from the end
  std::int64_t numel() const;
  DType dtype() const;
  Device device() const;
  bool is_contiguous() const;
  bool same_storage(const Tensor& other) const;

  // The first element's address. data<T>() checks that T is the tensor's element type.
  void* data_ptr() const;
  template <class T>
  T* data() const {
    check_element_type(dtype_of<T>());
    return static_cast<T*>(data_ptr());
  }
  // Every element, in row-major order, converted to double (copies from a device as needed).
  std::vector<double> to_doubles() const;
  double item() const;  // the single element of a one-element tensor

  // Views: no copy. Autograd flows through them.
  Tensor view(const Shape& shape) const;     // contiguous tensors; one dim may be -1
  Tensor reshape(const Shape& shape) const;  // a view when possible, else a copy
  Tensor transpose(int dim_a, int dim_b) const;
  Tensor slice(int dim, std::int64_t start, std::int64_t end) const;
  Tensor expand(const Shape& shape) const;  // broadcast size-1 dims with stride 0

  Tensor contiguous() const;
  Tensor to(DType dtype) const;
  Tensor to(Device device) const;
  Tensor clone() const;
  Tensor detach() const;  // same storage, outside autograd

  bool requires_grad() const;
  Tensor& set_requires_grad(bool required = true);
  Tensor grad() const;  // undefined until backward() reached this leaf
  void set_grad(const Tensor& grad);
  // Gradients of this scalar (or of `seed`-weighted output) with respect to every leaf.
  void backward(const Tensor& seed = {}) const;

  const std::string& name() const;
  Tensor& set_name(std::string name);

  TensorImpl* impl() const { return impl_.get(); }
  explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}
  const std::shared_ptr<TensorImpl>& impl_ptr() const { return impl_; }

 private:
  void check_element_type(DType requested) const;
  std::shared_ptr<TensorImpl> impl_;
};

}  // namespace forge
