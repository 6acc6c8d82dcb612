#include "train/reward_model.h"

#include <forge/autograd.h>
#include <forge/error.h>
#include <forge/nn.h>
#include <forge/ops.h>

#include "io/checkpoint_file.h"
#include "io/checkpoint_tensors.h"

#include <algorithm>
#include <cmath>

namespace forge {

RewardModel::RewardModel(std::unique_ptr<Model> body, Generator& init) : body_(std::move(body)) {
  params_ = body_->parameters();  // tensors share storage: training either trains both
  const Tensor& first = params_.front().second;
  const double C = static_cast<double>(body_->shape().d_model);
  params_.emplace_back(kRewardHeadName,
                       nn::parameter({1, body_->shape().d_model}, init, 1.0 / std::sqrt(C), 0.0,
                                     first.dtype(), first.device()));
}

Tensor RewardModel::forward(const Tensor& ids, const ForwardOptions& options) {
  FORGE_CHECK(!options.cache, "a reward model scores whole sequences, without a KV cache");
  ForwardOptions features = options;
  features.features = true;
  Tensor hidden = body_->forward(ids, features);  // [B, T, C]
  Tensor none;
  Tensor rewards = nn::linear(hidden, params_.back().second, none, nn::WeightLayout::out_in);
  return rewards.reshape({ids.size(0), ids.size(1)});
}

bool RewardModel::decays(const std::string& name) const {
  return name != kRewardHeadName && body_->decays(name);
}

double RewardModel::flops_per_token(std::int64_t seq_len) const {
  return body_->flops_per_token(seq_len);
}

Tensor final_rewards(const Tensor& rewards, const std::vector<std::int64_t>& lengths) {
  const std::int64_t B = rewards.size(0), T = rewards.size(1);
  FORGE_CHECK(static_cast<std::int64_t>(lengths.size()) == B, "one length per row");
  std::vector<float> last(static_cast<std::size_t>(B * T), 0.0f);
  for (std::int64_t b = 0; b < B; ++b) {
    FORGE_CHECK(lengths[b] >= 1 && lengths[b] <= T, "row ", b, " has length ", lengths[b]);
    last[static_cast<std::size_t>(b * T + lengths[b] - 1)] = 1.0f;
  }
  Tensor mask = Tensor::from_floats(last, {B, T}).to(rewards.device()).to(rewards.dtype());
  return ops::sum(ops::mul(rewards, mask), {1});
}

std::vector<double> score_sequences(RewardModel& model,
                                    const std::vector<std::vector<TokenId>>& sequences, TokenId pad,
                                    std::int64_t micro_batch) {
  NoGradGuard no_grad;
  std::vector<double> scores;
  scores.reserve(sequences.size());
  const Device device = model.parameters().front().second.device();
  for (std::size_t first = 0; first < sequences.size();
       first += static_cast<std::size_t>(micro_batch)) {
    const std::size_t end =
        std::min(sequences.size(), first + static_cast<std::size_t>(micro_batch));
    std::int64_t T = 1;
    std::vector<std::int64_t> lengths;
    for (std::size_t i = first; i < end; ++i) {
      FORGE_CHECK(!sequences[i].empty(), "sequence ", i, " is empty");
      lengths.push_back(static_cast<std::int64_t>(sequences[i].size()));
      T = std::max(T, lengths.back());
    }
    const auto B = static_cast<std::int64_t>(end - first);
    std::vector<std::int32_t> ids(static_cast<std::size_t>(B * T), static_cast<std::int32_t>(pad));
    for (std::size_t i = first; i < end; ++i)
      std::copy(
          sequences[i].begin(), sequences[i].end(),
          ids.begin() + static_cast<std::ptrdiff_t>((i - first) * static_cast<std::size_t>(T)));
    Tensor rewards = model.forward(Tensor::from_ints(ids, {B, T}).to(device));
    for (double value : final_rewards(rewards, lengths).to_doubles()) scores.push_back(value);
  }
  return scores;
}

bool read_reward_head(const std::filesystem::path& checkpoint, RewardModel& model) {
  CheckpointReader reader(checkpoint);
  const std::string path = cat("/model/", kRewardHeadName);
  if (!reader.has(path)) return false;
  read_tensor(reader, path, model.parameters().back().second);
  return true;
}

LoadedRewardModel load_reward_model(const std::filesystem::path& checkpoint,
                                    const Registry& plugins, Device device) {
  if (!CheckpointReader(checkpoint).has(cat("/model/", kRewardHeadName)))
    throw Error(cat("checkpoint '", checkpoint.string(), "' has no reward head (/model/",
                    kRewardHeadName, "); give a reward_model run's checkpoint"));
  LoadedModel body = load_model(checkpoint, plugins, device);
  Generator unused(0);
  LoadedRewardModel loaded;
  loaded.tokenizer = std::move(body.tokenizer);
  loaded.model = std::make_unique<RewardModel>(std::move(body.model), unused);
  loaded.position = body.position;
  read_reward_head(checkpoint, *loaded.model);
  return loaded;
}

}  // namespace forge
