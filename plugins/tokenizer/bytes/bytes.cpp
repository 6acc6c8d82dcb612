// Tokenizer `bytes`: one id per byte (0..255), then the special tokens. No training, no
// vocabulary file: a baseline, and a tokenizer for tests and tiny models.
#include <forge/error.h>
#include <forge/tokenizer.h>

#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace forge {
namespace {

constexpr TokenId kByteIds = 256;
constexpr std::string_view kType = "bytes";
constexpr int kFormatVersion = 1;

class BytesTokenizer : public Tokenizer {
 public:
  explicit BytesTokenizer(const Config& config) {
    if (config.has("serialized")) {
      restore(config);
    } else {
      specials_ = config.strings("special_tokens");
      end_of_text_name_ = config.string("end_of_text");
    }
    check(config);
  }

  std::vector<TokenId> encode(std::string_view text) const override {
    std::vector<TokenId> ids(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) ids[i] = static_cast<unsigned char>(text[i]);
    return ids;
  }

  std::string decode(std::span<const TokenId> ids) const override {
    std::string text;
    text.reserve(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
      TokenId id = ids[i];
      if (id >= 0 && id < kByteIds) {
        text += static_cast<char>(id);
      } else if (id >= kByteIds && static_cast<std::size_t>(id) < vocab_size()) {
        text += specials_[static_cast<std::size_t>(id - kByteIds)];
      } else {
        throw Error(cat("token id ", id, " at position ", i, " is outside the vocabulary [0, ",
                        vocab_size(), ") of tokenizer 'bytes'; decode ids made by this tokenizer"));
      }
    }
    return text;
  }

  std::size_t vocab_size() const override { return kByteIds + specials_.size(); }

  std::vector<std::pair<std::string, TokenId>> special_tokens() const override {
    std::vector<std::pair<std::string, TokenId>> out;
    for (std::size_t i = 0; i < specials_.size(); ++i)
      out.emplace_back(specials_[i], kByteIds + static_cast<TokenId>(i));
    return out;
  }

  TokenId end_of_text() const override { return end_of_text_; }

  std::string serialize() const override {
    nlohmann::json out{{"type", kType},
                       {"version", kFormatVersion},
                       {"special_tokens", specials_},
                       {"end_of_text", end_of_text_name_}};
    return out.dump();
  }

 private:
  // Reads serialize()'s output; the other parameters are ignored, as the checkpoint decides.
  void restore(const Config& config) {
    nlohmann::json in = nlohmann::json::parse(config.string("serialized"), nullptr, false);
    if (!in.is_object()) refuse(config, "is not a JSON object");
    std::string type =
        in.contains("type") && in["type"].is_string() ? in["type"].get<std::string>() : "(none)";
    if (type != kType)
      refuse(config, cat("describes a tokenizer of type '", type, "', not 'bytes'"));
    if (!in.contains("version") || in["version"] != kFormatVersion) {
      refuse(config, cat("has format version ", in.value("version", nlohmann::json()).dump(),
                         ", but this plugin reads version ", kFormatVersion));
    }
    const nlohmann::json& specials = in["special_tokens"];
    const nlohmann::json& end_of_text = in["end_of_text"];
    if (!specials.is_array() || !end_of_text.is_string()) {
      refuse(config, "lacks 'special_tokens' (a list of strings) or 'end_of_text' (a string)");
    }
    for (const auto& token : specials) {
      if (!token.is_string()) refuse(config, "has a special token that is not a string");
      specials_.push_back(token.get<std::string>());
    }
    end_of_text_name_ = end_of_text.get<std::string>();
  }

  [[noreturn]] static void refuse(const Config& config, const std::string& what) {
    config.fail("serialized", cat(what, "; pass the text a 'bytes' tokenizer's serialize() made"));
  }

  void check(const Config& config) {
    const char* key = config.has("serialized") ? "serialized" : "special_tokens";
    std::set<std::string> seen;
    for (const std::string& token : specials_) {
      if (token.empty()) config.fail(key, "a special token is empty; give each one a spelling");
      if (!seen.insert(token).second) {
        config.fail(key, cat("special token '", token, "' is listed twice; list each once"));
      }
    }
    for (std::size_t i = 0; i < specials_.size(); ++i) {
      if (specials_[i] == end_of_text_name_) end_of_text_ = kByteIds + static_cast<TokenId>(i);
    }
    if (end_of_text_ < 0) {
      std::string list;
      for (const std::string& token : specials_) list += (list.empty() ? "'" : ", '") + token + "'";
      config.fail(config.has("serialized") ? "serialized" : "end_of_text",
                  cat("'", end_of_text_name_, "' is not one of the special tokens (",
                      list.empty() ? "none" : list, "); add it to special_tokens"));
    }
  }

  std::vector<std::string> specials_;  // id 256 + i is specials_[i]
  std::string end_of_text_name_;
  TokenId end_of_text_ = -1;
};

std::vector<PluginInfo> plugins() {
  Schema schema{
      param::string_list("special_tokens")
          .fallback(std::vector<std::string>{"<|endoftext|>"})
          .doc("special tokens, given ids 256, 257, ... in this order"),
      param::string("end_of_text")
          .fallback("<|endoftext|>")
          .doc("the special token that ends a document; one of special_tokens"),
      param::string("serialized")
          .doc("a serialize() result to rebuild from (checkpoints use it); the other keys are "
               "ignored"),
  };
  return {describe_plugin<BytesTokenizer>("bytes", "1.0", "Raw bytes (256 ids) plus special tokens",
                                          std::move(schema))};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
