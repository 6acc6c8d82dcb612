#include "stages/reward_model/preference_pairs.h"

#include <forge/error.h>
#include <forge/ops.h>

#include "stages/assistant_eval/reply_scoring.h"

#include <algorithm>

namespace forge {
namespace {

std::vector<std::size_t> read_order(const nlohmann::json& ranking, std::size_t count,
                                    const std::string& where) {
  if (!ranking.is_array() || ranking.size() != count)
    throw Error(
        cat(where, ": metadata.ranking must list all ", count, " responses' indices, best first"));
  std::vector<std::size_t> order;
  std::vector<bool> seen(count, false);
  for (const nlohmann::json& index : ranking) {
    if (!index.is_number_integer() || index.get<std::int64_t>() < 0 ||
        index.get<std::int64_t>() >= static_cast<std::int64_t>(count) ||
        seen[index.get<std::size_t>()])
      throw Error(cat(where, ": metadata.ranking ", ranking.dump(),
                      " is not an order of the indices 0 to ", count - 1));
    seen[index.get<std::size_t>()] = true;
    order.push_back(index.get<std::size_t>());
  }
  return order;
}

}  // namespace

std::vector<Ranking> read_rankings(const Dataset& dataset, const std::string& label) {
  std::vector<Ranking> rankings;
  for (const std::string& shard : dataset.shards())
    dataset.read(shard, [&](Document&& document) {
      const std::string where = cat(label, ": document '", document.id, "'");
      const nlohmann::json& meta = document.metadata;
      if (!meta.contains("messages") || !meta.contains("responses") || !meta.contains("ranking"))
        throw Error(cat(where,
                        " needs metadata.messages, responses and ranking; read ranking "
                        "files with the rankings dataset"));
      Ranking ranking;
      ranking.id = document.id;
      ranking.prompt = split_at_reply(chat_from_json(meta["messages"], where)).prompt;
      if (ranking.prompt.empty() || ranking.prompt.back().role != "user")
        throw Error(cat(where, " does not end its prompt with a user message"));
      if (!meta["responses"].is_array() || meta["responses"].size() < 2)
        throw Error(cat(where, " needs at least 2 responses to rank"));
      for (const nlohmann::json& response : meta["responses"]) {
        if (!response.is_string()) throw Error(cat(where, ": every response must be text"));
        ranking.responses.push_back(response.get<std::string>());
      }
      ranking.order = read_order(meta["ranking"], ranking.responses.size(), where);
      ranking.metadata = std::move(document.metadata);
      rankings.push_back(std::move(ranking));
      return true;
    });
  if (rankings.empty()) throw Error(cat(label, ": the dataset holds no rankings"));
  return rankings;
}

std::vector<PreferencePair> ranking_pairs(const Ranking& ranking) {
  std::vector<PreferencePair> pairs;
  for (std::size_t i = 0; i < ranking.order.size(); ++i)
    for (std::size_t j = i + 1; j < ranking.order.size(); ++j) {
      const std::size_t better = ranking.order[i], worse = ranking.order[j];
      if (ranking.responses[better] != ranking.responses[worse]) pairs.push_back({better, worse});
    }
  return pairs;
}

Tensor bradley_terry_loss(const Tensor& rewards, const std::vector<PreferencePair>& pairs,
                          const std::vector<double>& weights) {
  FORGE_CHECK(rewards.ndim() == 1 && !pairs.empty() && pairs.size() == weights.size(),
              "rewards [N] and one weight per pair");
  const std::int64_t N = rewards.size(0), P = static_cast<std::int64_t>(pairs.size());
  // Rows 2p and 2p + 1 pick pair p's better and worse rewards: logits [P, 2], and the
  // cross-entropy of class 0 is log(1 + exp(r_worse - r_better)) = -log sigmoid(margin).
  std::vector<float> pick(static_cast<std::size_t>(2 * P * N), 0.0f);
  for (std::int64_t p = 0; p < P; ++p) {
    FORGE_CHECK(pairs[p].better < static_cast<std::size_t>(N) &&
                    pairs[p].worse < static_cast<std::size_t>(N),
                "pair ", p, " points past the ", N, " rewards");
    pick[static_cast<std::size_t>(2 * p * N) + pairs[p].better] = 1.0f;
    pick[static_cast<std::size_t>((2 * p + 1) * N) + pairs[p].worse] = 1.0f;
  }
  const Device device = rewards.device();
  Tensor select = Tensor::from_floats(pick, {2 * P, N}).to(device).to(rewards.dtype());
  Tensor logits = ops::matmul(select, rewards.reshape({N, 1})).reshape({P, 2});
  std::vector<float> w(weights.begin(), weights.end());
  ops::CrossEntropyOptions options;
  options.weights = Tensor::from_floats(w, {P}).to(device);
  Tensor targets = Tensor::zeros({P}, DType::i32).to(device);
  return ops::cross_entropy(logits, targets, options);
}

}  // namespace forge
