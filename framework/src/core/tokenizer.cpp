#include <forge/tokenizer.h>

namespace forge {

std::optional<TokenId> Tokenizer::special_token(std::string_view name) const {
  for (const auto& [token, id] : special_tokens())
    if (token == name) return id;
  return std::nullopt;
}

}  // namespace forge
