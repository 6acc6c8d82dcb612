#include <forge/parallel.h>
#include <forge/tokenizer.h>

#include <algorithm>

namespace forge {

std::optional<TokenId> Tokenizer::special_token(std::string_view name) const {
  for (const auto& [token, id] : special_tokens())
    if (token == name) return id;
  return std::nullopt;
}

std::vector<TokenId> Tokenizer::encode_with_special(std::string_view text,
                                                    const SpecialTextPolicy& policy) const {
  const auto specials = special_tokens();
  auto allowed = [&](const std::string& name) {
    return policy.allow_all ||
           std::find(policy.allowed.begin(), policy.allowed.end(), name) != policy.allowed.end();
  };
  std::vector<TokenId> out;
  std::size_t done = 0;  // text before this offset is encoded
  std::size_t from = 0;
  while (from < text.size()) {
    // The earliest special spelling from `from` on; the longest one where several start there.
    std::size_t at = std::string_view::npos;
    const std::pair<std::string, TokenId>* found = nullptr;
    for (const auto& special : specials) {
      const std::size_t hit = text.find(special.first, from);
      if (hit == std::string_view::npos) continue;
      if (hit < at || (hit == at && special.first.size() > found->first.size())) {
        at = hit;
        found = &special;
      }
    }
    if (!found) break;
    if (allowed(found->first)) {
      std::vector<TokenId> before = encode(text.substr(done, at - done));
      out.insert(out.end(), before.begin(), before.end());
      out.push_back(found->second);
      done = from = at + found->first.size();
    } else if (policy.refuse_others) {
      throw Error(cat("the text holds the special token '", found->first, "' at byte ", at,
                      ", which is not allowed here; allow it, or encode the text as ordinary "
                      "text so that it counts as plain characters"));
    } else {
      from = at + 1;
    }
  }
  std::vector<TokenId> rest = encode(text.substr(done));
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

std::vector<std::vector<TokenId>> Tokenizer::encode_batch(const std::vector<std::string>& texts,
                                                          unsigned threads) const {
  std::vector<std::vector<TokenId>> out(texts.size());
  parallel_for(texts.size(), threads, [&](std::size_t i) { out[i] = encode(texts[i]); });
  return out;
}

}  // namespace forge
