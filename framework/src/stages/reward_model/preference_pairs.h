#pragma once

// Rankings of candidate replies and the pairs they imply. A ranking of K replies orders them
// best to worst; every one of its C(K, 2) pairs teaches the reward model that the better reply
// scores higher (the Bradley-Terry model), and InstructGPT keeps a prompt's pairs together in
// one batch element so that no reply is seen K - 1 times apart, which overfits.

#include <forge/chat.h>
#include <forge/dataset.h>
#include <forge/export.h>
#include <forge/tensor.h>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace forge {

struct Ranking {
  std::string id;
  std::vector<ChatMessage> prompt;     // up to the reply, ending with a user message
  std::vector<std::string> responses;  // the candidate replies
  std::vector<std::size_t> order;      // indices into responses, best first
  nlohmann::json metadata;             // the document's, for judges that read it
};

// Every document of `dataset` (the rankings plugin's: metadata.messages, responses, ranking)
// as a ranking; throws forge::Error naming `label` and the document when one is malformed.
FORGE_API std::vector<Ranking> read_rankings(const Dataset& dataset, const std::string& label);

struct PreferencePair {
  std::size_t better = 0, worse = 0;  // indices into the ranking's responses
};

// All pairs of a ranking with the better reply first, in the ranking's order. Pairs of
// identical replies are left out: no reward model could order them.
FORGE_API std::vector<PreferencePair> ranking_pairs(const Ranking& ranking);

// The Bradley-Terry loss: the weighted mean over pairs of -log sigmoid(r[better] - r[worse]).
// rewards [N] (one per sequence of the batch); each pair's indices are into it.
FORGE_API Tensor bradley_terry_loss(const Tensor& rewards, const std::vector<PreferencePair>& pairs,
                                    const std::vector<double>& weights);

}  // namespace forge
