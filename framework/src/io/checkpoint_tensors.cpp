#include "io/checkpoint_tensors.h"

#include <forge/autograd.h>
#include <forge/ops.h>

namespace forge {
namespace {

ArrayType array_type(DType dtype) {
  switch (dtype) {
    case DType::f32:
      return ArrayType::f32;
    case DType::f64:
      return ArrayType::f64;
    case DType::bf16:
      return ArrayType::bf16;
    case DType::i32:
      return ArrayType::i32;
  }
  FORGE_CHECK(false, "no checkpoint type for ", dtype_name(dtype));
  return ArrayType::f32;
}

DType tensor_dtype(ArrayType type, const std::string& file, const std::string& path) {
  switch (type) {
    case ArrayType::f32:
      return DType::f32;
    case ArrayType::f64:
      return DType::f64;
    case ArrayType::bf16:
      return DType::bf16;
    case ArrayType::i32:
      return DType::i32;
    default:
      throw Error(cat("checkpoint '", file, "': '", path, "' holds ", array_type_name(type),
                      " values, which no tensor can hold"));
  }
}

}  // namespace

void write_tensor(CheckpointWriter& writer, const std::string& path, const Tensor& tensor) {
  Tensor host = tensor.detach().to(Device::cpu()).contiguous();
  const std::size_t bytes = static_cast<std::size_t>(host.numel()) * dtype_size(host.dtype());
  writer.write_array(path, array_type(host.dtype()), host.shape(), host.data_ptr(), bytes);
}

void read_tensor(const CheckpointReader& reader, const std::string& path, const Tensor& into) {
  const std::string file = reader.file().string();
  if (!reader.has(path))
    throw Error(cat("checkpoint '", file, "' has no '", path,
                    "'; it was written for a different model or by an older version"));
  ArrayInfo info = reader.info(path);
  if (info.shape != into.shape())
    throw Error(cat("checkpoint '", file, "': '", path, "' has shape ", shape_str(info.shape),
                    " but the model needs ", shape_str(into.shape()),
                    "; the recipe's model settings differ from the checkpoint's"));
  Tensor stored = Tensor::empty(info.shape, tensor_dtype(info.type, file, path));
  reader.read_array(path, stored.data_ptr(), info.bytes());
  NoGradGuard no_grad;
  ops::copy_into(into.detach(), stored);
}

}  // namespace forge
