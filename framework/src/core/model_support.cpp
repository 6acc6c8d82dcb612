#include <forge/architecture.h>
#include <forge/loss.h>

namespace forge {

KVCache::KVCache(const ModelShape& shape, std::int64_t batch, std::int64_t max_length, DType dtype,
                 Device device)
    : capacity_(max_length) {
  if (max_length > shape.context)
    throw Error(cat("a KV cache of ", max_length, " positions exceeds the model's context of ",
                    shape.context));
  for (std::int64_t layer = 0; layer < shape.n_layer; ++layer) {
    keys_.push_back(
        Tensor::zeros({batch, shape.n_kv_head, max_length, shape.head_dim}, dtype, device));
    values_.push_back(
        Tensor::zeros({batch, shape.n_kv_head, max_length, shape.head_dim}, dtype, device));
  }
}

void KVCache::advance(std::int64_t n) {
  if (length_ + n > capacity_)
    throw Error(cat("the KV cache is full: ", length_, " + ", n, " positions exceed its ",
                    capacity_, "; generate fewer tokens or use a longer context"));
  length_ += n;
}

Model::~Model() = default;

bool Model::decays(const std::string& name) const {
  for (const auto& [param, tensor] : const_cast<Model*>(this)->parameters())
    if (param == name)
      return tensor.ndim() >= 2 && name.find("wte") == std::string::npos &&
             name.find("wpe") == std::string::npos &&
             name.find("embed_tokens") == std::string::npos;
  return false;
}

const Tensor* LossBatch::find(const std::string& name) const {
  auto it = tensors.find(name);
  return it == tensors.end() ? nullptr : &it->second;
}

const Tensor& LossBatch::get(const std::string& name) const {
  if (const Tensor* tensor = find(name)) return *tensor;
  std::string present;
  for (const auto& [key, value] : tensors) present += (present.empty() ? "" : ", ") + key;
  throw Error(cat("the loss needs a '", name, "' tensor, but the batch holds only: ", present));
}

}  // namespace forge
