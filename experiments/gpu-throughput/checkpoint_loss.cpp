// The mean next-token loss of a checkpoint on one batch of token windows, for comparing forge's
// forward with another implementation on the same weights and the same tokens.
//   forge_checkpoint_loss CHECKPOINT BATCH_FILE ROWS [--device cpu|cuda]
// BATCH_FILE holds ROWS windows of T + 1 token ids each, little-endian int32, row-major; the
// first T of a window are the inputs and the last T the targets. Prints one JSON line.
#include <forge/autograd.h>
#include <forge/ops.h>

#include "plugin/registry.h"
#include "train/checkpoint_model.h"

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace {

using namespace forge;

std::vector<std::int32_t> read_ints(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw Error(cat("cannot open the batch file '", path, "'"));
  const auto bytes = static_cast<std::size_t>(in.tellg());
  if (bytes % sizeof(std::int32_t))
    throw Error(cat("'", path, "' has ", bytes, " bytes, not a whole number of int32 ids"));
  std::vector<std::int32_t> ids(bytes / sizeof(std::int32_t));
  in.seekg(0);
  in.read(reinterpret_cast<char*>(ids.data()), static_cast<std::streamsize>(bytes));
  return ids;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc != 4 && !(argc == 6 && std::string(argv[4]) == "--device"))
      throw Error("usage: forge_checkpoint_loss CHECKPOINT BATCH_FILE ROWS [--device cpu|cuda]");
    const std::string device_name = argc == 6 ? argv[5] : "cpu";
    if (device_name != "cpu" && device_name != "cuda")
      throw Error(cat("--device must be cpu or cuda, not '", device_name, "'"));
    const Device device = device_name == "cuda" ? Device::cuda(0) : Device::cpu();
    const std::int64_t rows = std::stoll(argv[3]);
    const std::vector<std::int32_t> windows = read_ints(argv[2]);
    const auto total = static_cast<std::int64_t>(windows.size());
    if (rows <= 0 || total % rows || total / rows < 2)
      throw Error(cat("'", argv[2], "' holds ", total, " ids, which is not ", rows,
                      " windows of at least 2 ids"));
    const std::int64_t T = total / rows - 1;
    std::vector<std::int32_t> inputs, targets;
    for (std::int64_t r = 0; r < rows; ++r) {
      const auto row = windows.begin() + r * (T + 1);
      inputs.insert(inputs.end(), row, row + T);
      targets.insert(targets.end(), row + 1, row + T + 1);
    }
    Registry& plugins = Registry::global();
    LoadedModel loaded = load_model(argv[1], plugins, device);
    NoGradGuard no_grad;
    Tensor ids = Tensor::from_ints(inputs, {rows, T}).to(device);
    Tensor logits = loaded.model->forward(ids);
    Tensor flat = logits.reshape({-1, logits.size(-1)});
    Tensor loss = ops::cross_entropy(flat, Tensor::from_ints(targets, {rows * T}).to(device));
    std::printf(
        "{\"loss\": %.7f, \"rows\": %lld, \"seq_len\": %lld, \"device\": \"%s\", \"dtype\": "
        "\"%s\", \"step\": %lld}\n",
        loss.item(), static_cast<long long>(rows), static_cast<long long>(T), device.str().c_str(),
        std::string(dtype_name(loaded.model->parameters().front().second.dtype())).c_str(),
        static_cast<long long>(loaded.position.step));
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "forge_checkpoint_loss: %s\n", e.what());
    return 2;
  }
}
