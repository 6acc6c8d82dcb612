#include "train/train_checkpoint.h"

#include <forge/version.h>

#include "io/checkpoint_file.h"
#include "io/checkpoint_tensors.h"

#include <algorithm>
#include <bit>
#include <cstdio>

namespace forge {
namespace fs = std::filesystem;
namespace {

std::int64_t as_i64(std::uint64_t value) { return std::bit_cast<std::int64_t>(value); }
std::uint64_t as_u64(std::int64_t value) { return std::bit_cast<std::uint64_t>(value); }

std::int64_t integer_attribute(const CheckpointReader& reader, const std::string& object,
                               const std::string& name) {
  auto value = reader.attribute(object, name);
  if (!value || !std::holds_alternative<std::int64_t>(*value))
    throw Error(cat("checkpoint '", reader.file().string(), "' has no integer attribute '", name,
                    "' on ", object, "; it was not written by a Forge trainer"));
  return std::get<std::int64_t>(*value);
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : "\n") + item;
  return out;
}

}  // namespace

void save_checkpoint(const fs::path& file, Model& model, const OptimizerState* optimizer,
                     const Tokenizer& tokenizer, const CheckpointMeta& meta,
                     const TrainPosition& position) {
  fs::create_directories(file.parent_path());
  CheckpointWriter writer(file);
  writer.set_attribute("/meta", "format_version", kCheckpointFormatVersion);
  writer.set_attribute("/meta", "forge_version", std::string(kVersion));
  writer.set_attribute("/meta", "stage", meta.stage);
  writer.set_attribute("/meta", "step", position.step);
  writer.set_attribute("/meta", "tokens_seen", as_i64(position.tokens_seen));
  writer.set_attribute("/meta", "elapsed_s", position.elapsed_s);
  writer.set_attribute("/meta", "recipe", meta.recipe);
  writer.set_attribute("/meta", "architecture", meta.architecture);
  writer.set_attribute("/meta", "plugins", joined(meta.plugins));
  const NamedTensors& params = model.parameters();
  for (std::size_t i = 0; i < params.size(); ++i) {
    Tensor master = optimizer ? optimizer->master(i) : Tensor();
    write_tensor(writer, "/model/" + params[i].first, master.defined() ? master : params[i].second);
  }
  if (optimizer) optimizer->save(writer);
  // Every random choice of a run is drawn from counters keyed by the seed and the step, so
  // the seed is the whole generator state.
  writer.set_attribute("/rng", "seed", as_i64(meta.seed));
  writer.set_attribute("/data", "train_position", as_i64(position.data_position));
  writer.set_attribute("/tokenizer", "plugin", meta.tokenizer_plugin);
  writer.set_attribute("/tokenizer", "serialized", tokenizer.serialize());
  writer.commit();
}

TrainPosition load_checkpoint(const fs::path& file, Model& model, OptimizerState* optimizer) {
  CheckpointReader reader(file);
  const std::int64_t version = integer_attribute(reader, "/meta", "format_version");
  if (version != kCheckpointFormatVersion)
    throw Error(cat("checkpoint '", file.string(), "' has format version ", version,
                    ", but this Forge reads version ", kCheckpointFormatVersion));
  for (const auto& [name, tensor] : model.parameters())
    read_tensor(reader, "/model/" + name, tensor);
  if (optimizer) optimizer->load(reader);
  TrainPosition position;
  position.step = integer_attribute(reader, "/meta", "step");
  position.tokens_seen = as_u64(integer_attribute(reader, "/meta", "tokens_seen"));
  position.data_position = as_u64(integer_attribute(reader, "/data", "train_position"));
  if (auto elapsed = reader.attribute("/meta", "elapsed_s");
      elapsed && std::holds_alternative<double>(*elapsed))
    position.elapsed_s = std::get<double>(*elapsed);
  return position;
}

fs::path checkpoint_path(const fs::path& run_dir, std::int64_t step) {
  char name[48];
  std::snprintf(name, sizeof name, "step-%08lld.h5", static_cast<long long>(step));
  return run_dir / "checkpoints" / name;
}

std::vector<fs::path> list_checkpoints(const fs::path& run_dir) {
  std::vector<fs::path> files;
  std::error_code error;
  for (fs::directory_iterator it(run_dir / "checkpoints", error), end; !error && it != end;
       it.increment(error)) {
    std::string name = it->path().filename().string();
    if (name.starts_with("step-") && name.ends_with(".h5")) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());  // zero-padded steps sort in order
  return files;
}

void prune_checkpoints(const fs::path& run_dir, std::int64_t keep) {
  if (keep <= 0) return;
  std::vector<fs::path> files = list_checkpoints(run_dir);
  for (std::size_t i = 0; i + static_cast<std::size_t>(keep) < files.size(); ++i) {
    std::error_code ignored;
    fs::remove(files[i], ignored);
  }
}

}  // namespace forge
