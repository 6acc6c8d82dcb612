#include "bpe/bpe_files.h"

#include <forge/error.h>
#include <forge/files.h>

#include "bpe/tiktoken_file.h"

#include <nlohmann/json.hpp>

namespace forge::bpe {
namespace fs = std::filesystem;
namespace {

constexpr int kFormatVersion = 1;

nlohmann::json describe(const BpeTokenizer& tokenizer) {
  nlohmann::json specials = nlohmann::json::object();
  for (const auto& [name, id] : tokenizer.special_tokens()) specials[name] = id;
  return {{"pattern", pattern_spec(tokenizer.pretokenizer())},
          {"special_tokens", specials},
          {"end_of_text", tokenizer.end_of_text_name()}};
}

BpeTokenizer assemble(std::vector<std::string> tokens, const nlohmann::json& meta,
                      const std::string& where) {
  if (!meta.is_object() || !meta.contains("pattern") || !meta["pattern"].is_string() ||
      !meta.contains("special_tokens") || !meta["special_tokens"].is_object() ||
      !meta.contains("end_of_text") || !meta["end_of_text"].is_string())
    throw Error(cat(where, ": expected an object with 'pattern', 'special_tokens' (name: id) ",
                    "and 'end_of_text'"));
  SpecialTokens specials;
  for (const auto& [name, id] : meta["special_tokens"].items()) {
    if (!id.is_number_integer())
      throw Error(cat(where, ": special token '", name, "' needs an integer id"));
    specials.emplace_back(name, id.get<TokenId>());
  }
  std::sort(specials.begin(), specials.end(),
            [](const auto& a, const auto& b) { return a.second < b.second; });
  return BpeTokenizer(std::make_shared<const Vocabulary>(std::move(tokens)),
                      pretokenizer_for(meta["pattern"].get<std::string>()), std::move(specials),
                      meta["end_of_text"].get<std::string>());
}

}  // namespace

Pretokenizer pretokenizer_for(const std::string& pattern) {
  for (const std::string& name : Pretokenizer::builtin_names())
    if (name == pattern) return Pretokenizer::builtin(name);
  return Pretokenizer::from_pattern(pattern);  // a built-in's regex text gets its state machine
}

std::string pattern_spec(const Pretokenizer& pretokenizer) {
  if (pretokenizer.is_builtin())
    for (const std::string& name : Pretokenizer::builtin_names())
      if (Pretokenizer::builtin(name).pattern() == pretokenizer.pattern()) return name;
  return pretokenizer.pattern();
}

void save_tokenizer(const fs::path& tiktoken_file, const BpeTokenizer& tokenizer) {
  std::vector<std::string> tokens(tokenizer.vocabulary().size());
  for (std::size_t rank = 0; rank < tokens.size(); ++rank)
    if (tokenizer.vocabulary().has(static_cast<TokenId>(rank)))
      tokens[rank] = std::string(tokenizer.vocabulary().bytes(static_cast<TokenId>(rank)));
  write_tiktoken(tiktoken_file, tokens);
  write_file_atomic(fs::path(tiktoken_file.string() + ".json"), describe(tokenizer).dump(2) + "\n");
}

BpeTokenizer load_tokenizer(const fs::path& tiktoken_file, const std::string& fallback_pattern) {
  std::vector<std::string> tokens = read_tiktoken(tiktoken_file);
  const fs::path sidecar(tiktoken_file.string() + ".json");
  nlohmann::json meta;
  if (fs::exists(sidecar)) {
    meta = nlohmann::json::parse(read_file(sidecar), nullptr, false);
    if (meta.is_discarded()) throw Error(cat(sidecar.string(), ": not valid JSON"));
  } else {
    meta = {{"pattern", fallback_pattern},
            {"special_tokens", {{"<|endoftext|>", tokens.size()}}},
            {"end_of_text", "<|endoftext|>"}};
  }
  return assemble(std::move(tokens), meta,
                  fs::exists(sidecar) ? sidecar.string() : tiktoken_file.string());
}

std::string serialize_tokenizer(const BpeTokenizer& tokenizer) {
  nlohmann::json out = describe(tokenizer);
  out["type"] = "bpe";
  out["version"] = kFormatVersion;
  std::string ranks;
  for (std::size_t rank = 0; rank < tokenizer.vocabulary().size(); ++rank)
    if (tokenizer.vocabulary().has(static_cast<TokenId>(rank)))
      ranks += cat(base64_encode(tokenizer.vocabulary().bytes(static_cast<TokenId>(rank))), " ",
                   rank, "\n");
  out["ranks"] = std::move(ranks);
  return out.dump();
}

BpeTokenizer deserialize_tokenizer(std::string_view text) {
  nlohmann::json in = nlohmann::json::parse(text, nullptr, false);
  if (!in.is_object() || in.value("type", "") != "bpe")
    throw Error("the serialized tokenizer is not a JSON object of type 'bpe'");
  if (in.value("version", 0) != kFormatVersion)
    throw Error(cat("the serialized tokenizer has format version ", in.value("version", 0),
                    "; this build reads version ", kFormatVersion));
  if (!in.contains("ranks") || !in["ranks"].is_string())
    throw Error("the serialized tokenizer has no 'ranks' text");
  return assemble(
      parse_tiktoken(in["ranks"].get<std::string>(), "the serialized tokenizer's ranks"), in,
      "the serialized tokenizer");
}

}  // namespace forge::bpe
