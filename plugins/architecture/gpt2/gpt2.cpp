// Architecture `gpt2`: GPT-2 (learned positions, pre-LayerNorm blocks, tanh GELU, embeddings
// tied to the output head) with Hugging Face's parameter names and Conv1D [in, out] layout.
#include <forge/architecture.h>
#include <forge/log.h>
#include <forge/nn.h>
#include <forge/ops.h>

#include <cmath>

namespace forge {
namespace {

using nn::WeightLayout;

struct Gpt2Config {
  std::int64_t n_layer, n_head, d_model, context, vocab_multiple;
  double init_std, layer_norm_eps;
};

class Gpt2Model : public Model {
 public:
  Gpt2Model(const Gpt2Config& config, const ModelRequest& request) : config_(config) {
    const std::int64_t C = config.d_model, L = config.n_layer, M = config.vocab_multiple;
    shape_.vocab_size = request.vocab_size;
    shape_.padded_vocab = (request.vocab_size + M - 1) / M * M;
    shape_.context = config.context;
    shape_.n_layer = L;
    shape_.n_head = shape_.n_kv_head = config.n_head;
    shape_.head_dim = C / config.n_head;
    shape_.d_model = C;
    Generator fallback(0);
    Generator& g = request.init ? *request.init : fallback;
    const double std = config.init_std;
    // Residual projections start smaller so the residual stream's variance does not grow
    // with depth (GPT-2's 1/sqrt(2 L) scaling).
    const double proj_std = std / std::sqrt(2.0 * static_cast<double>(L));
    auto add = [&](const std::string& name, const Shape& shape, double s, double fill = 0.0) {
      params_.emplace_back(name, nn::parameter(shape, g, s, fill, request.dtype, request.device));
      params_.back().second.set_name(name);
    };
    add("transformer.wte.weight", {shape_.padded_vocab, C}, std);
    add("transformer.wpe.weight", {config.context, C}, std);
    for (std::int64_t l = 0; l < L; ++l) {
      const std::string h = cat("transformer.h.", l, ".");
      add(h + "ln_1.weight", {C}, 0, 1.0);
      add(h + "ln_1.bias", {C}, 0);
      add(h + "attn.c_attn.weight", {C, 3 * C}, std);
      add(h + "attn.c_attn.bias", {3 * C}, 0);
      add(h + "attn.c_proj.weight", {C, C}, proj_std);
      add(h + "attn.c_proj.bias", {C}, 0);
      add(h + "ln_2.weight", {C}, 0, 1.0);
      add(h + "ln_2.bias", {C}, 0);
      add(h + "mlp.c_fc.weight", {C, 4 * C}, std);
      add(h + "mlp.c_fc.bias", {4 * C}, 0);
      add(h + "mlp.c_proj.weight", {4 * C, C}, proj_std);
      add(h + "mlp.c_proj.bias", {C}, 0);
    }
    add("transformer.ln_f.weight", {C}, 0, 1.0);
    add("transformer.ln_f.bias", {C}, 0);
  }

  const ModelShape& shape() const override { return shape_; }
  NamedTensors& parameters() override { return params_; }

  using Model::forward;
  Tensor forward(const Tensor& ids, const ForwardOptions& options) override {
    KVCache* cache = options.cache;
    nn::check_ids("gpt2", ids, shape_, cache);
    const std::int64_t B = ids.size(0), T = ids.size(1), C = shape_.d_model;
    const std::int64_t offset = cache ? cache->length() : 0;
    const Tensor& wte = params_[0].second;
    const Tensor& wpe = params_[1].second;
    const Tensor& starts = options.document_starts;
    Tensor positions =
        starts.defined() ? nn::document_positions(starts) : nn::positions(offset, T, wpe.device());
    Tensor x = ops::add(ops::embedding(ids, wte), ops::embedding(positions, wpe));
    x = nn::run_blocks(x, shape_.n_layer, options.recompute && !cache, params_, 2, kPerBlock,
                       [this, starts, cache](std::int64_t l, const Tensor& in) {
                         return block(in, 2 + static_cast<std::size_t>(l) * kPerBlock, starts,
                                      cache, static_cast<int>(l));
                       });
    const std::size_t last = 2 + static_cast<std::size_t>(shape_.n_layer) * kPerBlock;
    x = ops::layer_norm(x, params_[last].second, params_[last + 1].second, config_.layer_norm_eps);
    if (cache) cache->advance(T);
    if (options.features) return x;
    // The head is the embedding, tied; its padding rows stay out of the logits.
    Tensor head = wte.slice(0, 0, shape_.vocab_size);
    return ops::matmul(x.reshape({B * T, C}), head, false, true).reshape({B, T, shape_.vocab_size});
  }

  double flops_per_token(std::int64_t seq_len) const override {
    // 6 flops per weight of every matmul (the tied head included, positions excluded), plus
    // attention's scores and weighted sums over the whole sequence (PaLM's accounting).
    const double C = static_cast<double>(shape_.d_model), L = static_cast<double>(shape_.n_layer);
    const double matmul_weights = L * 12 * C * C + static_cast<double>(shape_.vocab_size) * C;
    return 6 * matmul_weights + 12 * L * C * static_cast<double>(seq_len);
  }

 private:
  static constexpr std::size_t kPerBlock = 12;  // parameters of one block, in params_ order

  // The block whose parameters start at params_[first], on the residual stream x.
  Tensor block(const Tensor& x, std::size_t first, const Tensor& starts, KVCache* cache,
               int layer) const {
    auto w = [&](std::size_t i) -> const Tensor& { return params_[first + i].second; };
    const std::int64_t C = shape_.d_model;
    Tensor h = ops::layer_norm(x, w(0), w(1), config_.layer_norm_eps);
    Tensor qkv = nn::linear(h, w(2), w(3), WeightLayout::in_out);  // [B, T, 3C]
    Tensor q = nn::split_heads(qkv.slice(2, 0, C), config_.n_head);
    Tensor k = nn::split_heads(qkv.slice(2, C, 2 * C), config_.n_head);
    Tensor v = nn::split_heads(qkv.slice(2, 2 * C, 3 * C), config_.n_head);
    Tensor y = nn::attend(q, k, v, starts, cache, layer);
    Tensor out = ops::add(x, nn::linear(y, w(4), w(5), WeightLayout::in_out));
    h = ops::layer_norm(out, w(6), w(7), config_.layer_norm_eps);
    h = ops::gelu(nn::linear(h, w(8), w(9), WeightLayout::in_out));
    return ops::add(out, nn::linear(h, w(10), w(11), WeightLayout::in_out));
  }

  Gpt2Config config_;
  ModelShape shape_;
  NamedTensors params_;
};

class Gpt2 : public Architecture {
 public:
  explicit Gpt2(const Config& config)
      : config_{config.integer("n_layer"),        config.integer("n_head"),
                config.integer("d_model"),        config.integer("context"),
                config.integer("vocab_multiple"), config.number("init_std"),
                config.number("layer_norm_eps")} {
    if (config_.d_model % config_.n_head)
      config.fail("d_model", cat("d_model ", config_.d_model, " must be a multiple of n_head ",
                                 config_.n_head));
  }

  std::unique_ptr<Model> build(const ModelRequest& request) const override {
    if (request.vocab_size <= 0)
      throw Error(cat("[gpt2] the vocabulary size must be positive, not ", request.vocab_size));
    return std::make_unique<Gpt2Model>(config_, request);
  }

  std::int64_t context() const override { return config_.context; }

 private:
  Gpt2Config config_;
};

std::vector<PluginInfo> plugins() {
  return {describe_plugin<Gpt2>(
      "gpt2", "1.0",
      "GPT-2: learned positions, LayerNorm, tanh GELU, tied embeddings (Hugging Face names)",
      Schema{
          param::integer("n_layer").fallback(12).at_least(1).doc("transformer blocks"),
          param::integer("n_head").fallback(12).at_least(1).doc("attention heads per block"),
          param::integer("d_model").fallback(768).at_least(1).doc(
              "width of the residual stream (a multiple of n_head)"),
          param::integer("context").fallback(1024).at_least(1).doc(
              "longest sequence: rows of the position embedding"),
          param::integer("vocab_multiple")
              .fallback(64)
              .at_least(1)
              .doc("the token embedding's rows are the vocabulary rounded up to this"),
          param::number("init_std")
              .fallback(0.02)
              .at_least(0)
              .doc("std of the normal initial weights (residual projections get /sqrt(2 n_layer))"),
          param::number("layer_norm_eps").fallback(1e-5).at_least(0).doc("LayerNorm's epsilon"),
      })};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
