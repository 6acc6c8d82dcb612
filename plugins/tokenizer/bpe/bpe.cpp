// Tokenizer `bpe`: byte-level BPE with tiktoken's semantics. OpenAI's encodings by name, or a
// vocabulary file (.tiktoken with its sidecar, or GPT-2's encoder.json + vocab.bpe), with any
// pre-tokenizer pattern and extra special tokens (such as a chat template's markers).
#include <forge/tokenizer.h>

#include "bpe/bpe_files.h"
#include "bpe/bpe_tokenizer.h"
#include "bpe/tiktoken_file.h"

#include <optional>

namespace forge {
namespace {

using bpe::BpeTokenizer;

BpeTokenizer from_gpt2_files(const Config& config) {
  if (!config.has("vocab_bpe"))
    config.fail("encoder_json", "GPT-2's files come in pairs; set vocab_bpe as well");
  bpe::Gpt2Files files =
      bpe::read_gpt2_files(config.string("encoder_json"), config.string("vocab_bpe"));
  bpe::SpecialTokens specials(files.special_tokens.begin(), files.special_tokens.end());
  const std::string pattern = config.has("pattern") ? config.string("pattern") : "r50k_base";
  return BpeTokenizer(std::make_shared<const bpe::Vocabulary>(std::move(files.tokens)),
                      bpe::pretokenizer_for(pattern), std::move(specials),
                      config.string("end_of_text"));
}

BpeTokenizer make(const Config& config) {
  if (config.has("serialized")) return bpe::deserialize_tokenizer(config.string("serialized"));
  const int sources = config.has("encoding") + config.has("path") + config.has("encoder_json");
  if (sources != 1)
    config.fail({},
                "name exactly one of encoding (cl100k_base, ...), path (a .tiktoken file) "
                "and encoder_json + vocab_bpe (GPT-2's files)");
  std::optional<BpeTokenizer> made;
  if (config.has("encoding")) made = bpe::load_builtin(config.string("encoding"));
  if (config.has("path"))
    made = bpe::load_tokenizer(config.string("path"),
                               config.has("pattern") ? config.string("pattern") : "cl100k_base");
  if (config.has("encoder_json")) made = from_gpt2_files(config);
  if (config.has("pattern") && !config.has("encoder_json"))
    made = made->with_pattern(bpe::pretokenizer_for(config.string("pattern")));
  return made->with_specials(config.strings("special_tokens"));
}

class Bpe : public Tokenizer {
 public:
  explicit Bpe(const Config& config) try : tokenizer_(make(config)) {
  } catch (const Error& e) {
    // Errors from the files name them; this adds the recipe's location.
    config.fail(config.has("serialized") ? "serialized" : "plugin", e.what());
  }

  std::vector<TokenId> encode(std::string_view text) const override {
    std::vector<TokenId> ids;
    ids.reserve(text.size() / 3);
    tokenizer_.encode(text, ids);
    return ids;
  }
  std::string decode(std::span<const TokenId> ids) const override { return tokenizer_.decode(ids); }
  std::size_t vocab_size() const override { return tokenizer_.vocab_size(); }
  std::vector<std::pair<std::string, TokenId>> special_tokens() const override {
    return tokenizer_.special_tokens();
  }
  TokenId end_of_text() const override { return tokenizer_.end_of_text(); }
  std::string serialize() const override { return bpe::serialize_tokenizer(tokenizer_); }

 private:
  BpeTokenizer tokenizer_;
};

std::vector<PluginInfo> plugins() {
  Schema schema{
      param::string("encoding")
          .one_of({"r50k_base", "gpt2", "p50k_base", "p50k_edit", "cl100k_base", "o200k_base"})
          .doc("one of OpenAI's encodings (scripts/data/tokenizer-refs.sh fetches the ranks)"),
      param::string("path").doc(
          "a .tiktoken file; its sidecar PATH.json gives pattern and special tokens"),
      param::string("encoder_json").doc("GPT-2's encoder.json (with vocab_bpe)"),
      param::string("vocab_bpe").doc("GPT-2's vocab.bpe (with encoder_json)"),
      param::string("pattern").doc(
          "pre-tokenizer: r50k_base, p50k_base, cl100k_base, o200k_base or a regex (PCRE2, "
          "Unicode); default: the encoding's or the file's"),
      param::string_list("special_tokens")
          .fallback(std::vector<std::string>{})
          .doc("further special tokens, given ids after the highest one (e.g. '<|im_start|>')"),
      param::string("end_of_text")
          .fallback("<|endoftext|>")
          .doc("the special token that ends a document (GPT-2 files only; others name theirs)"),
      param::string("serialized")
          .doc("a serialize() result to rebuild from (checkpoints use it); the other keys are "
               "ignored"),
  };
  return {describe_plugin<Bpe>(
      "bpe", "1.0", "Byte-level BPE with tiktoken's semantics: OpenAI's encodings or your own",
      std::move(schema))};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
