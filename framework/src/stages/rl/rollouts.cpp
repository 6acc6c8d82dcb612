#include "stages/rl/rollouts.h"

#include <forge/error.h>
#include <forge/random.h>

#include "stages/assistant_eval/reply_scoring.h"

#include <algorithm>

namespace forge {

std::vector<Problem> read_problems(const Dataset& dataset, const std::string& label,
                                   bool need_answer) {
  std::vector<Problem> problems;
  for (const std::string& shard : dataset.shards())
    dataset.read(shard, [&](Document&& document) {
      const std::string where = cat(label, ": document '", document.id, "'");
      auto messages = document.metadata.find("messages");
      if (messages == document.metadata.end())
        throw Error(cat(where, " has no metadata.messages; use a dataset of problems such as ",
                        "problems or arithmetic_problems"));
      Problem problem;
      problem.id = document.id;
      problem.prompt = split_at_reply(chat_from_json(*messages, where)).prompt;
      if (problem.prompt.empty() || problem.prompt.back().role != "user")
        throw Error(cat(where, " does not end its prompt with a user message"));
      auto answer = document.metadata.find("answer");
      const bool has_answer =
          answer != document.metadata.end() && (answer->is_string() || answer->is_number());
      if (need_answer && !has_answer)
        throw Error(
            cat(where, " has no metadata.answer, the key the rewards check replies ", "against"));
      if (has_answer)
        problem.answer = answer->is_string() ? answer->get<std::string>() : answer->dump();
      problem.metadata = std::move(document.metadata);
      problems.push_back(std::move(problem));
      return true;
    });
  if (problems.empty()) throw Error(cat(label, ": the dataset holds no problems"));
  return problems;
}

std::int64_t Sample::sampled_tokens() const {
  return std::count(turn.sampled.begin(), turn.sampled.end(), std::uint8_t{1});
}

std::vector<Sample> roll_out(const Policy& policy, const std::vector<const Problem*>& problems,
                             std::int64_t group_size, std::int64_t max_tokens,
                             const RewardSet& rewards, std::uint64_t seed) {
  std::vector<Sample> samples;
  samples.reserve(problems.size() * static_cast<std::size_t>(group_size));
  for (std::size_t i = 0; i < problems.size(); ++i) {
    const Problem& problem = *problems[i];
    const std::vector<TokenId> prompt_ids =
        render_chat(*policy.tokenizer, problem.prompt, policy.chat, true).ids;
    for (std::int64_t j = 0; j < group_size; ++j) {
      TurnRequest request;
      request.conversation = problem.prompt;
      request.max_tokens = max_tokens;
      request.limits = policy.limits;
      // Passes of one turn draw from request.seed + pass: spread the samples far apart.
      request.seed =
          mix64(seed + i * static_cast<std::uint64_t>(group_size) + static_cast<std::uint64_t>(j));
      Sample sample;
      sample.problem = i;
      sample.prompt_ids = prompt_ids;
      sample.turn = assistant_turn(*policy.model, *policy.tokenizer, *policy.sampler, *policy.tools,
                                   policy.chat, request);
      sample.reply = final_reply(sample.turn.messages);
      RewardInput input;
      input.prompt = problem.prompt;
      input.turn = sample.turn.messages;
      input.reply = sample.reply;
      input.finish = sample.turn.finish;
      input.answer = problem.answer;
      input.metadata = problem.metadata;
      sample.reward = rewards.score(input);
      sample.correct = sample.reward.correct.value_or(false);
      samples.push_back(std::move(sample));
    }
  }
  return samples;
}

}  // namespace forge
