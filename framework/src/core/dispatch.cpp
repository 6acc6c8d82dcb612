#include "core/op_profile.h"
#include "core/op_table.h"
#include "core/tensor_impl.h"

namespace forge {

const Backend& cpu_backend();
const Backend* cuda_backend();  // nullptr in a build without CUDA

const Backend& backend_for(Device device) {
  if (device.type == Device::Type::cpu) return cpu_backend();
  if (const Backend* cuda = cuda_backend()) return *cuda;
  throw Error(
      cat("device ", device.str(), " is not available: this build of forge has no CUDA backend"));
}

Storage::Storage(std::size_t size, Device where) : bytes(size), device(where) {
  data = backend_for(device).allocate(bytes, device.index);
}

Storage::~Storage() { backend_for(device).deallocate(data, bytes, device.index); }

void dispatch(const OpCall& call) {
  FORGE_CHECK(call.out && call.out->defined(), "op ", op_name(call.op), " has no output");
  Device device = call.out->device();
  // copy alone crosses devices, to and from the host: the device's backend moves the bytes.
  const bool transfer = call.op == OpId::copy && call.in[0]->device() != device;
  for (int i = 0; i < call.inputs && !transfer; ++i) {
    if (call.in[i] && call.in[i]->device() != device)
      throw Error(cat("[", op_name(call.op), "] input ", i, " is on ", call.in[i]->device().str(),
                      " but the output is on ", device.str(), "; move it with .to()"));
  }
  for (const Tensor* aux : call.aux)
    FORGE_CHECK(!aux || aux->device() == device, "op ", op_name(call.op),
                " has outputs on two devices");
  const Backend& backend =
      backend_for(transfer && device.type == Device::Type::cpu ? call.in[0]->device() : device);
  // copy converts between dtypes, so its support is judged by the source.
  DType dtype = call.op == OpId::copy ? call.in[0]->dtype() : call.out->dtype();
  if (!backend.supports(call.op, dtype))
    throw Error(cat("[", op_name(call.op), "] the ", backend.name, " backend does not support ",
                    dtype_name(dtype), " tensors"));
  const OpKernel kernel = backend.kernels[static_cast<std::size_t>(call.op)];
  if (!op_profile_enabled()) return kernel(call);
  const auto start = std::chrono::steady_clock::now();
  kernel(call);
  op_profile_add(call.op, std::chrono::steady_clock::now() - start);
}

}  // namespace forge
