#include <forge/ops.h>
#include <forge/random.h>
#include <forge/tensor.h>

#include "core/op_table.h"
#include "core/tensor_impl.h"

namespace forge {
namespace {

const TensorImpl& checked(const std::shared_ptr<TensorImpl>& impl) {
  if (!impl) throw Error("use of an undefined tensor (one that was never assigned)");
  return *impl;
}

int wrap_dim(int dim, int ndim, const char* op) {
  int wrapped = dim < 0 ? dim + ndim : dim;
  if (wrapped < 0 || wrapped >= ndim)
    throw Error(cat("[", op, "] dimension ", dim, " is out of range for a ", ndim, "-d tensor"));
  return wrapped;
}

}  // namespace

std::int64_t shape_numel(const Shape& shape) {
  std::int64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

std::string shape_str(const Shape& shape) {
  std::string out = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + "]";
}

Shape contiguous_strides(const Shape& shape) {
  Shape strides(shape.size());
  std::int64_t stride = 1;
  for (std::size_t i = shape.size(); i-- > 0;) {
    strides[i] = stride;
    stride *= std::max<std::int64_t>(shape[i], 1);
  }
  return strides;
}

Tensor make_view(const Tensor& base, Shape shape, Shape strides, std::int64_t offset) {
  auto impl = std::make_shared<TensorImpl>();
  impl->shape = std::move(shape);
  impl->strides = std::move(strides);
  impl->offset = offset;
  impl->dtype = base.dtype();
  impl->storage = base.impl()->storage;
  return Tensor(std::move(impl));
}

Tensor Tensor::empty(const Shape& shape, DType dtype, Device device) {
  for (auto d : shape)
    if (d < 0) throw Error(cat("cannot make a tensor of shape ", shape_str(shape)));
  auto impl = std::make_shared<TensorImpl>();
  impl->shape = shape;
  impl->strides = contiguous_strides(shape);
  impl->dtype = dtype;
  impl->storage = std::make_shared<Storage>(shape_numel(shape) * dtype_size(dtype), device);
  return Tensor(std::move(impl));
}

Tensor Tensor::zeros(const Shape& shape, DType dtype, Device device) {
  return full(shape, 0.0, dtype, device);
}

Tensor Tensor::full(const Shape& shape, double value, DType dtype, Device device) {
  Tensor out = empty(shape, dtype, device);
  OpCall call{OpId::fill};
  call.out = &out;
  call.params.alpha = value;
  dispatch(call);
  return out;
}

const Shape& Tensor::shape() const { return checked(impl_).shape; }
const Shape& Tensor::strides() const { return checked(impl_).strides; }
std::int64_t Tensor::offset() const { return checked(impl_).offset; }
int Tensor::ndim() const { return static_cast<int>(shape().size()); }
std::int64_t Tensor::size(int dim) const { return shape()[wrap_dim(dim, ndim(), "size")]; }
std::int64_t Tensor::numel() const { return shape_numel(shape()); }
DType Tensor::dtype() const { return checked(impl_).dtype; }
Device Tensor::device() const { return checked(impl_).storage->device; }

bool Tensor::is_contiguous() const { return strides() == contiguous_strides(shape()); }

bool Tensor::same_storage(const Tensor& other) const {
  return defined() && other.defined() && impl_->storage == other.impl_->storage;
}

void* Tensor::data_ptr() const {
  const TensorImpl& impl = checked(impl_);
  return static_cast<char*>(impl.storage->data) + impl.offset * dtype_size(impl.dtype);
}

void Tensor::check_element_type(DType requested) const {
  if (requested != dtype())
    throw Error(
        cat("tensor '", name(), "' holds ", dtype_name(dtype()), ", not ", dtype_name(requested)));
}

Tensor Tensor::view(const Shape& requested) const {
  if (!is_contiguous())
    throw Error(cat("[view] tensor of shape ", shape_str(shape()),
                    " is not contiguous; use reshape() or contiguous() first"));
  Shape shape = requested;
  std::int64_t known = 1;
  int inferred = -1;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      if (inferred >= 0) throw Error("[view] only one dimension may be -1");
      inferred = static_cast<int>(i);
    } else {
      known *= shape[i];
    }
  }
  if (inferred >= 0 && known > 0) shape[inferred] = numel() / known;
  if (shape_numel(shape) != numel())
    throw Error(cat("[view] cannot view ", shape_str(this->shape()), " (", numel(),
                    " elements) as ", shape_str(requested)));
  Tensor out = make_view(*this, shape, contiguous_strides(shape), offset());
  Shape original = this->shape();
  record_grad(out, "view", {*this},
              [original](const Tensor& g) { return std::vector<Tensor>{g.reshape(original)}; });
  return out;
}

Tensor Tensor::reshape(const Shape& shape) const {
  return is_contiguous() ? view(shape) : contiguous().view(shape);
}

Tensor Tensor::transpose(int dim_a, int dim_b) const {
  int a = wrap_dim(dim_a, ndim(), "transpose"), b = wrap_dim(dim_b, ndim(), "transpose");
  Shape shape = this->shape(), strides = this->strides();
  std::swap(shape[a], shape[b]);
  std::swap(strides[a], strides[b]);
  Tensor out = make_view(*this, shape, strides, offset());
  record_grad(out, "transpose", {*this},
              [a, b](const Tensor& g) { return std::vector<Tensor>{g.transpose(a, b)}; });
  return out;
}

Tensor Tensor::slice(int dim, std::int64_t start, std::int64_t end) const {
  int d = wrap_dim(dim, ndim(), "slice");
  if (start < 0 || end < start || end > shape()[d])
    throw Error(cat("[slice] range [", start, ", ", end, ") is outside dimension ", dim,
                    " of size ", shape()[d]));
  Shape shape = this->shape();
  shape[d] = end - start;
  Tensor out = make_view(*this, shape, strides(), offset() + start * strides()[d]);
  Shape original = this->shape();
  DType dtype = this->dtype();
  Device device = this->device();
  record_grad(out, "slice", {*this}, [=](const Tensor& g) {
    // Zeros only around the slice: the slice itself is written once, by the copy.
    Tensor full = Tensor::empty(original, dtype, device);
    if (start > 0) ops::fill(full.slice(d, 0, start), 0.0);
    if (end < original[d]) ops::fill(full.slice(d, end, original[d]), 0.0);
    ops::copy_into(full.slice(d, start, end), g);
    return std::vector<Tensor>{full};
  });
  return out;
}

Tensor Tensor::expand(const Shape& target) const {
  if (static_cast<int>(target.size()) < ndim())
    throw Error(cat("[expand] cannot expand ", shape_str(shape()), " to ", shape_str(target)));
  std::size_t lead = target.size() - shape().size();
  Shape strides(target.size(), 0);
  for (std::size_t i = 0; i < shape().size(); ++i) {
    std::int64_t have = shape()[i], want = target[lead + i];
    if (have == want)
      strides[lead + i] = this->strides()[i];
    else if (have != 1)
      throw Error(cat("[expand] cannot expand ", shape_str(shape()), " to ", shape_str(target)));
  }
  Tensor out = make_view(*this, target, strides, offset());
  Shape original = shape();
  record_grad(out, "expand", {*this}, [original](const Tensor& g) {
    return std::vector<Tensor>{ops::sum_to(g, original)};
  });
  return out;
}

Tensor Tensor::contiguous() const {
  if (is_contiguous()) return *this;
  return clone();
}

Tensor Tensor::clone() const {
  Tensor out = empty(shape(), dtype(), device());
  ops::copy_into(out, *this);
  record_grad(out, "clone", {*this}, [](const Tensor& g) { return std::vector<Tensor>{g}; });
  return out;
}

Tensor Tensor::to(DType target) const {
  if (target == dtype()) return *this;
  Tensor out = empty(shape(), target, device());
  ops::copy_into(out, *this);
  DType original = dtype();
  record_grad(out, "to", {*this},
              [original](const Tensor& g) { return std::vector<Tensor>{g.to(original)}; });
  return out;
}

Tensor Tensor::to(Device target) const {
  if (target == device()) return *this;
  Tensor out = empty(shape(), dtype(), target);
  ops::copy_into(out, *this);
  Device original = device();
  record_grad(out, "to", {*this},
              [original](const Tensor& g) { return std::vector<Tensor>{g.to(original)}; });
  return out;
}

Tensor Tensor::detach() const {
  Tensor out = make_view(*this, shape(), strides(), offset());
  out.impl_->name = name();
  return out;
}

bool Tensor::requires_grad() const { return checked(impl_).requires_grad; }

Tensor& Tensor::set_requires_grad(bool required) {
  if (required && !is_floating(dtype()))
    throw Error(cat("tensor '", name(), "' holds ", dtype_name(dtype()),
                    " values, which have no gradient"));
  impl_->requires_grad = required;
  return *this;
}

Tensor Tensor::grad() const { return checked(impl_).grad; }
void Tensor::set_grad(const Tensor& grad) { impl_->grad = grad; }
const std::string& Tensor::name() const { return checked(impl_).name; }

Tensor& Tensor::set_name(std::string name) {
  impl_->name = std::move(name);
  return *this;
}

}  // namespace forge
