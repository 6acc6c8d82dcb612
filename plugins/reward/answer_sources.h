#pragma once

// The `from:` parameter the answer-checking rewards share: where the final answer is read.

#include <forge/answer.h>
#include <forge/config.h>
#include <forge/schema.h>

#include <string>
#include <vector>

namespace forge::rewards {

inline Param sources_param() {
  return param::string_list("from")
      .fallback(std::vector<std::string>{"boxed", "hashes", "last_number"})
      .doc(
          "where the reply's final answer is read, first found wins: boxed (\\boxed{...}), "
          "hashes (after ####), last_number");
}

inline std::vector<AnswerSource> sources_from(const Config& config) {
  std::vector<AnswerSource> sources;
  for (const std::string& name : config.strings("from")) {
    std::optional<AnswerSource> source = parse_answer_source(name);
    if (!source)
      config.fail("from",
                  cat("unknown answer source '", name, "'; use boxed, hashes or last_number"));
    sources.push_back(*source);
  }
  if (sources.empty()) config.fail("from", "no answer source; list boxed, hashes or last_number");
  return sources;
}

}  // namespace forge::rewards
