#include "stages/pretrain/batches.h"

#include <vector>

namespace forge {

TokenBatch next_batch(TokenSource& source, std::int64_t rows, std::int64_t seq_len, Device device) {
  const auto T = static_cast<std::size_t>(seq_len);
  std::vector<TokenId> window(T + 1);
  std::vector<std::int32_t> ids(static_cast<std::size_t>(rows) * T), targets(ids.size());
  for (std::size_t row = 0; row < static_cast<std::size_t>(rows); ++row) {
    source.next(window.data());
    std::copy(window.begin(), window.end() - 1, ids.begin() + static_cast<std::ptrdiff_t>(row * T));
    std::copy(window.begin() + 1, window.end(),
              targets.begin() + static_cast<std::ptrdiff_t>(row * T));
  }
  TokenBatch batch{Tensor::from_ints(ids, {rows, seq_len}),
                   Tensor::from_ints(targets, {rows, seq_len})};
  if (device != Device::cpu()) {
    batch.ids = batch.ids.to(device);
    batch.targets = batch.targets.to(device);
  }
  return batch;
}

}  // namespace forge

namespace forge {
namespace {

class WindowBatches : public BatchSource {
 public:
  explicit WindowBatches(std::unique_ptr<TokenSource> source) : source_(std::move(source)) {}
  TokenBatch next(std::int64_t rows, std::int64_t seq_len, Device device) override {
    return next_batch(*source_, rows, seq_len, device);
  }
  // A token source's position counts windows.
  void skip(std::int64_t rows, std::int64_t) override {
    source_->seek(source_->position() + static_cast<std::uint64_t>(rows));
  }
  std::uint64_t position() const override { return source_->position(); }
  void seek(std::uint64_t position) override { source_->seek(position); }

 private:
  std::unique_ptr<TokenSource> source_;
};

}  // namespace

std::unique_ptr<BatchSource> window_batches(std::unique_ptr<TokenSource> source) {
  return std::make_unique<WindowBatches>(std::move(source));
}

}  // namespace forge
