#include "stages/tokenizer/tokenizer_stage.h"

#include <forge/dataset.h>
#include <forge/document.h>
#include <forge/files.h>
#include <forge/log.h>
#include <forge/parallel.h>
#include <forge/progress.h>

#include "bpe/bpe_files.h"
#include "bpe/trainer.h"

#include <cctype>
#include <chrono>
#include <mutex>

namespace forge {
namespace fs = std::filesystem;
namespace {

struct TokenizerPlan {
  std::unique_ptr<Dataset> input, heldout;
  std::vector<std::string> shards, heldout_shards;
  bpe::Pretokenizer pretokenizer = bpe::Pretokenizer::builtin("cl100k_base");
  bpe::TrainOptions options;
  bpe::PieceCountLimits limits;
  double heldout_fraction = 0;
  std::size_t heldout_bytes = 0;
  std::vector<std::string> compare;
  std::string output;
  unsigned workers = 0;
};

// Documents above this size are counted in blocks of about this size, in parallel.
constexpr std::size_t kBlockBytes = std::size_t{4} << 20;

// Cuts text after a newline that a letter follows. The built-in patterns always end a piece
// there (no piece runs from a line break into a letter), so the blocks' pieces are the text's.
std::vector<std::string_view> cut_into_blocks(std::string_view text) {
  std::vector<std::string_view> blocks;
  std::size_t start = 0;
  while (text.size() - start > kBlockBytes) {
    std::size_t cut = start + kBlockBytes;
    while (cut < text.size() &&
           !(text[cut - 1] == '\n' && std::isalpha(static_cast<unsigned char>(text[cut]))))
      ++cut;
    blocks.push_back(text.substr(start, cut - start));
    start = cut;
  }
  blocks.push_back(text.substr(start));
  return blocks;
}

class TokenizerJob : public StageJob {
 public:
  explicit TokenizerJob(std::unique_ptr<TokenizerPlan> plan) : p_(std::move(plan)) {}

  void run(RunContext& context) override {
    const auto start = std::chrono::steady_clock::now();
    bpe::PieceCounts counts = count_pieces();
    const double counted_s = seconds_since(start);
    log_info("tokenizer: ", counts.bytes(), " bytes of training text, ", counts.pieces(),
             " pieces, ", counts.counts().size(), " distinct",
             counts.dropped() ? cat(" (", counts.dropped(), " seen once dropped to bound memory)")
                              : std::string(),
             "; ", heldout_.size(), " bytes held out");
    Progress progress("merges", p_->options.vocab_size, "tokens");
    progress.skip(256 + p_->options.special_tokens.size());
    std::size_t reported = 0;
    p_->options.progress = [&](std::size_t done, std::size_t) {
      progress.advance(done - reported);
      reported = done;
    };
    bpe::TrainResult trained = bpe::train_bpe(counts, p_->options);
    progress.finish();
    const std::size_t merges = trained.tokens.size() - 256;
    if (merges < trained.merges_wanted)
      log_warn("tokenizer: only ", merges, " of ", trained.merges_wanted,
               " merges were possible: no pair occurs twice any more; the vocabulary is smaller "
               "than asked (train on more text)");
    bpe::BpeTokenizer tokenizer =
        bpe::tokenizer_from(std::move(trained), p_->pretokenizer, p_->options.end_of_text);
    const double trained_s = seconds_since(start);
    fs::path output =
        fs::path(p_->output).is_absolute() ? fs::path(p_->output) : context.dir / p_->output;
    bpe::save_tokenizer(output, tokenizer);
    nlohmann::json stats = {{"training",
                             {{"bytes", counts.bytes()},
                              {"pieces", counts.pieces()},
                              {"distinct_pieces", counts.counts().size()},
                              {"dropped_pieces", counts.dropped()},
                              {"count_seconds", counted_s},
                              {"seconds", trained_s}}},
                            {"vocab_size", tokenizer.vocab_size()},
                            {"merges", merges},
                            {"tokenizer", output.string()},
                            {"compression", compression(tokenizer)}};
    write_file_atomic(context.dir / "stats.json", stats.dump(2) + "\n");
    context.metrics->write(
        {{"step", merges}, {"vocab_size", tokenizer.vocab_size()}, {"elapsed_s", trained_s}});
    log_info("tokenizer: ", tokenizer.vocab_size(), " tokens in ", fixed(trained_s, 1),
             " s, written to ", output.string());
  }

 private:
  static double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

  // Every shard counted on its own task, then merged; held-out documents are set aside, and
  // large documents are counted afterwards in blocks on every worker.
  bpe::PieceCounts count_pieces() {
    std::vector<bpe::PieceCounts> parts(p_->shards.size(), bpe::PieceCounts(p_->limits));
    std::vector<std::string> large;
    std::mutex mutex;
    Progress progress("read", p_->shards.size(), "shards");
    parallel_for(p_->shards.size(), p_->workers, [&](std::size_t i) {
      p_->input->read(p_->shards[i], [&](Document&& document) {
        if (p_->heldout_fraction > 0 && id_fraction(document.id) < p_->heldout_fraction) {
          std::lock_guard lock(mutex);
          if (heldout_.size() < p_->heldout_bytes) heldout_ += document.text + "\n";
        } else if (document.text.size() > kBlockBytes && p_->pretokenizer.is_builtin()) {
          std::lock_guard lock(mutex);
          large.push_back(std::move(document.text));
        } else {
          parts[i].add(p_->pretokenizer, document.text);
        }
        return true;
      });
      progress.advance();
    });
    progress.finish();
    for (const std::string& text : large) {
      std::vector<std::string_view> blocks = cut_into_blocks(text);
      std::vector<bpe::PieceCounts> counted(blocks.size(), bpe::PieceCounts(p_->limits));
      parallel_for(blocks.size(), p_->workers,
                   [&](std::size_t b) { counted[b].add(p_->pretokenizer, blocks[b]); });
      for (auto& block : counted) parts.push_back(std::move(block));
    }
    if (p_->heldout)
      for (const std::string& shard : p_->heldout_shards)
        p_->heldout->read(shard, [&](Document&& document) {
          heldout_ += document.text + "\n";
          return heldout_.size() < p_->heldout_bytes;
        });
    bpe::PieceCounts all(p_->limits);
    for (auto& part : parts) all.merge(std::move(part));
    if (all.counts().empty())
      throw Error("the input held no training text (every document was empty or held out)");
    return all;
  }

  // Bytes per token on the held-out text, ours beside each encoding compared with.
  nlohmann::json compression(const bpe::BpeTokenizer& ours) {
    nlohmann::json out = nlohmann::json::object();
    if (heldout_.empty()) {
      log_warn(
          "tokenizer: no held-out text, so no compression report; set heldout_fraction or "
          "heldout");
      return out;
    }
    auto ratio = [&](const bpe::BpeTokenizer& tokenizer) {
      std::vector<TokenId> ids;
      tokenizer.encode(heldout_, ids);
      return ids.empty() ? 0.0 : static_cast<double>(heldout_.size()) / ids.size();
    };
    out["trained"] = ratio(ours);
    std::string line = cat("compression on ", heldout_.size(),
                           " held-out bytes (bytes per token): "
                           "trained ",
                           fixed(out["trained"], 3));
    for (const std::string& name : p_->compare) {
      try {
        out[name] = ratio(bpe::load_builtin(name));
        line += cat(", ", name, " ", fixed(out[name], 3));
      } catch (const Error& e) {
        log_warn("tokenizer: no comparison with ", name, ": ", e.what());
      }
    }
    log_info("tokenizer: ", line);
    return out;
  }

  std::unique_ptr<TokenizerPlan> p_;
  std::string heldout_;
};

}  // namespace

Schema TokenizerStage::schema() const {
  return {
      param::plugin("input", PluginKind::dataset).required().doc("documents to train on"),
      param::integer("vocab_size")
          .fallback(32768)
          .range(257, 16'000'000)
          .doc("tokens in all: 256 bytes, the merges, the special tokens"),
      param::string("pattern")
          .fallback("cl100k_base")
          .doc("pre-tokenizer: r50k_base, cl100k_base, o200k_base or a regex (PCRE2, Unicode)"),
      param::string_list("special_tokens")
          .fallback(std::vector<std::string>{"<|endoftext|>"})
          .doc("special tokens, given the ids after the merges, in this order"),
      param::string("end_of_text")
          .fallback("<|endoftext|>")
          .doc("the special token that ends a document; one of special_tokens"),
      param::number("heldout_fraction")
          .fallback(0.01)
          .range(0, 1)
          .doc("share of input documents (by id hash) kept out of training to measure "
               "compression"),
      param::plugin("heldout", PluginKind::dataset)
          .doc("documents to measure compression on, instead of or beside the held-out share"),
      param::integer("heldout_bytes")
          .fallback(8'000'000)
          .at_least(1)
          .doc("at most this much held-out text is kept"),
      param::string_list("compare")
          .fallback(std::vector<std::string>{"gpt2", "cl100k_base"})
          .doc("encodings whose compression on the held-out text is reported beside ours"),
      param::integer("max_piece_bytes")
          .fallback(128)
          .at_least(2)
          .doc("longer pieces are cut to this size before counting"),
      param::integer("max_distinct_pieces")
          .fallback(20'000'000)
          .at_least(1000)
          .doc("above this many distinct pieces, those seen once are dropped (bounds memory)"),
      param::string("output")
          .fallback("tokenizer.tiktoken")
          .doc("the tokenizer file (and OUTPUT.json beside it); relative paths: inside the run"),
      param::integer("workers").fallback(0).at_least(0).doc(
          "shards read at once; 0 uses every core (or FORGE_THREADS)"),
  };
}

std::unique_ptr<StageJob> TokenizerStage::prepare(const Config& recipe,
                                                  const Registry& plugins) const {
  auto plan = std::make_unique<TokenizerPlan>();
  Config input = recipe.section("input");
  plan->input = plugins.create<Dataset>(input);
  plan->shards = plan->input->shards();
  if (plan->shards.empty()) input.fail({}, "the input has nothing to read");
  if (recipe.has("heldout")) {
    plan->heldout = plugins.create<Dataset>(recipe.section("heldout"));
    plan->heldout_shards = plan->heldout->shards();
  }
  try {
    plan->pretokenizer = bpe::pretokenizer_for(recipe.string("pattern"));
  } catch (const Error& e) {
    recipe.fail("pattern", e.what());
  }
  plan->options.vocab_size = static_cast<std::size_t>(recipe.integer("vocab_size"));
  plan->options.special_tokens = recipe.strings("special_tokens");
  plan->options.end_of_text = recipe.string("end_of_text");
  const auto& specials = plan->options.special_tokens;
  if (std::find(specials.begin(), specials.end(), plan->options.end_of_text) == specials.end())
    recipe.fail("end_of_text", cat("'", plan->options.end_of_text,
                                   "' is not one of special_tokens; add it there"));
  if (plan->options.vocab_size < 256 + specials.size())
    recipe.fail("vocab_size",
                cat("too small for 256 bytes and ", specials.size(), " special tokens"));
  plan->heldout_fraction = recipe.number("heldout_fraction");
  if (plan->heldout_fraction >= 1)
    recipe.fail("heldout_fraction", "must be below 1, or nothing is left to train on");
  plan->heldout_bytes = static_cast<std::size_t>(recipe.integer("heldout_bytes"));
  plan->compare = recipe.strings("compare");
  for (const std::string& name : plan->compare) {
    auto& known = bpe::builtin_encodings();
    if (std::find(known.begin(), known.end(), name) == known.end())
      recipe.fail("compare", cat("'", name, "' is not an encoding (gpt2, cl100k_base, ...)"));
  }
  plan->limits.max_piece_bytes = static_cast<std::size_t>(recipe.integer("max_piece_bytes"));
  plan->limits.max_distinct = static_cast<std::size_t>(recipe.integer("max_distinct_pieces"));
  plan->output = recipe.string("output");
  plan->workers = static_cast<unsigned>(recipe.integer("workers"));
  return std::make_unique<TokenizerJob>(std::move(plan));
}

}  // namespace forge
