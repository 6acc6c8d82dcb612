// Architecture `llama`: Llama (RoPE, RMSNorm, SwiGLU, grouped-query attention, an untied output
// head) with Hugging Face's parameter names and torch.nn.Linear [out, in] layout.
#include <forge/architecture.h>
#include <forge/nn.h>
#include <forge/ops.h>

#include <cmath>

namespace forge {
namespace {

using nn::WeightLayout;

struct LlamaConfig {
  std::int64_t n_layer, n_head, n_kv_head, d_model, context, intermediate_size;
  double rope_theta, rms_norm_eps, init_std;
  bool tie_embeddings;
};

class LlamaModel : public Model {
 public:
  LlamaModel(const LlamaConfig& config, const ModelRequest& request) : config_(config) {
    const std::int64_t C = config.d_model, L = config.n_layer, F = config.intermediate_size;
    const std::int64_t D = C / config.n_head, kv = config.n_kv_head * D;
    shape_.vocab_size = shape_.padded_vocab = request.vocab_size;
    shape_.context = config.context;
    shape_.n_layer = L;
    shape_.n_head = config.n_head;
    shape_.n_kv_head = config.n_kv_head;
    shape_.head_dim = D;
    shape_.d_model = C;
    Generator fallback(0);
    Generator& g = request.init ? *request.init : fallback;
    const double std = config.init_std;
    const double proj_std = std / std::sqrt(2.0 * static_cast<double>(L));
    auto add = [&](const std::string& name, const Shape& shape, double s, double fill = 0.0) {
      params_.emplace_back(name, nn::parameter(shape, g, s, fill, request.dtype, request.device));
      params_.back().second.set_name(name);
    };
    const std::int64_t V = request.vocab_size;
    add("model.embed_tokens.weight", {V, C}, std);
    for (std::int64_t l = 0; l < L; ++l) {
      const std::string h = cat("model.layers.", l, ".");
      add(h + "input_layernorm.weight", {C}, 0, 1.0);
      add(h + "self_attn.q_proj.weight", {C, C}, std);
      add(h + "self_attn.k_proj.weight", {kv, C}, std);
      add(h + "self_attn.v_proj.weight", {kv, C}, std);
      add(h + "self_attn.o_proj.weight", {C, C}, proj_std);
      add(h + "post_attention_layernorm.weight", {C}, 0, 1.0);
      add(h + "mlp.gate_proj.weight", {F, C}, std);
      add(h + "mlp.up_proj.weight", {F, C}, std);
      add(h + "mlp.down_proj.weight", {C, F}, proj_std);
    }
    add("model.norm.weight", {C}, 0, 1.0);
    if (!config.tie_embeddings) add("lm_head.weight", {V, C}, std);
  }

  const ModelShape& shape() const override { return shape_; }
  NamedTensors& parameters() override { return params_; }

  using Model::forward;
  // Packed documents need only the attention mask: RoPE's scores depend on relative positions.
  Tensor forward(const Tensor& ids, const ForwardOptions& options) override {
    KVCache* cache = options.cache;
    nn::check_ids("llama", ids, shape_, cache);
    const std::int64_t B = ids.size(0), T = ids.size(1), C = shape_.d_model;
    const std::int64_t offset = cache ? cache->length() : 0;
    const Tensor& embed = params_[0].second;
    Tensor x = ops::embedding(ids, embed);
    const Tensor& starts = options.document_starts;
    x = nn::run_blocks(x, shape_.n_layer, options.recompute && !cache, params_, 1, kPerBlock,
                       [this, starts, cache, offset](std::int64_t l, const Tensor& in) {
                         return block(in, 1 + static_cast<std::size_t>(l) * kPerBlock, starts,
                                      cache, offset, static_cast<int>(l));
                       });
    const std::size_t last = 1 + static_cast<std::size_t>(shape_.n_layer) * kPerBlock;
    x = ops::rms_norm(x, params_[last].second, config_.rms_norm_eps);
    if (cache) cache->advance(T);
    if (options.features) return x;
    const Tensor& head = config_.tie_embeddings ? embed : params_[last + 1].second;
    return ops::matmul(x.reshape({B * T, C}), head, false, true).reshape({B, T, shape_.vocab_size});
  }

  double flops_per_token(std::int64_t seq_len) const override {
    const double C = static_cast<double>(shape_.d_model), L = static_cast<double>(shape_.n_layer);
    const double kv = static_cast<double>(shape_.n_kv_head * shape_.head_dim);
    const double F = static_cast<double>(config_.intermediate_size);
    const double per_layer = 2 * C * C + 2 * C * kv + 3 * C * F;
    const double matmul_weights = L * per_layer + static_cast<double>(shape_.vocab_size) * C;
    return 6 * matmul_weights + 12 * L * C * static_cast<double>(seq_len);
  }

 private:
  static constexpr std::size_t kPerBlock = 9;  // parameters of one block, in params_ order

  // The block whose parameters start at params_[first], on the residual stream x.
  Tensor block(const Tensor& x, std::size_t first, const Tensor& starts, KVCache* cache,
               std::int64_t offset, int layer) const {
    auto w = [&](std::size_t i) -> const Tensor& { return params_[first + i].second; };
    ops::RopeOptions rope;
    rope.position_offset = offset;
    rope.theta = config_.rope_theta;
    const double eps = config_.rms_norm_eps;
    const Tensor none;
    Tensor h = ops::rms_norm(x, w(0), eps);
    Tensor q = ops::rope(
        nn::split_heads(nn::linear(h, w(1), none, WeightLayout::out_in), shape_.n_head), rope);
    Tensor k = ops::rope(
        nn::split_heads(nn::linear(h, w(2), none, WeightLayout::out_in), shape_.n_kv_head), rope);
    Tensor v = nn::split_heads(nn::linear(h, w(3), none, WeightLayout::out_in), shape_.n_kv_head);
    Tensor y = nn::attend(q, k, v, starts, cache, layer);
    Tensor out = ops::add(x, nn::linear(y, w(4), none, WeightLayout::out_in));
    h = ops::rms_norm(out, w(5), eps);
    Tensor swiglu = ops::mul(ops::silu(nn::linear(h, w(6), none, WeightLayout::out_in)),
                             nn::linear(h, w(7), none, WeightLayout::out_in));
    return ops::add(out, nn::linear(swiglu, w(8), none, WeightLayout::out_in));
  }

  LlamaConfig config_;
  ModelShape shape_;
  NamedTensors params_;
};

// SwiGLU's hidden width when the recipe leaves it out: 8/3 d_model (as many weights as a 4x
// GELU MLP), rounded up to a multiple of `multiple_of`.
std::int64_t default_intermediate(std::int64_t d_model, std::int64_t multiple_of) {
  const std::int64_t raw = (8 * d_model + 2) / 3;
  return (raw + multiple_of - 1) / multiple_of * multiple_of;
}

class Llama : public Architecture {
 public:
  explicit Llama(const Config& config) {
    config_.n_layer = config.integer("n_layer");
    config_.n_head = config.integer("n_head");
    config_.n_kv_head = config.integer("n_kv_head");
    if (config_.n_kv_head == 0) config_.n_kv_head = config_.n_head;
    config_.d_model = config.integer("d_model");
    config_.context = config.integer("context");
    config_.intermediate_size = config.integer("intermediate_size");
    if (config_.intermediate_size == 0)
      config_.intermediate_size =
          default_intermediate(config_.d_model, config.integer("multiple_of"));
    config_.rope_theta = config.number("rope_theta");
    config_.rms_norm_eps = config.number("rms_norm_eps");
    config_.init_std = config.number("init_std");
    config_.tie_embeddings = config.boolean("tie_embeddings");
    if (config_.d_model % config_.n_head)
      config.fail("d_model", cat("d_model ", config_.d_model, " must be a multiple of n_head ",
                                 config_.n_head));
    if ((config_.d_model / config_.n_head) % 2)
      config.fail("n_head", cat("the head size d_model / n_head = ",
                                config_.d_model / config_.n_head, " must be even for RoPE"));
    if (config_.n_head % config_.n_kv_head)
      config.fail("n_kv_head", cat("n_head ", config_.n_head, " must be a multiple of n_kv_head ",
                                   config_.n_kv_head));
  }

  std::unique_ptr<Model> build(const ModelRequest& request) const override {
    if (request.vocab_size <= 0)
      throw Error(cat("[llama] the vocabulary size must be positive, not ", request.vocab_size));
    return std::make_unique<LlamaModel>(config_, request);
  }

  std::int64_t context() const override { return config_.context; }

 private:
  LlamaConfig config_{};
};

std::vector<PluginInfo> plugins() {
  return {describe_plugin<Llama>(
      "llama", "1.0",
      "Llama: RoPE, RMSNorm, SwiGLU, grouped-query attention, untied head (Hugging Face names)",
      Schema{
          param::integer("n_layer").fallback(12).at_least(1).doc("transformer blocks"),
          param::integer("n_head").fallback(12).at_least(1).doc("query heads per block"),
          param::integer("n_kv_head")
              .fallback(0)
              .at_least(0)
              .doc("key/value heads (grouped-query attention); 0 means n_head"),
          param::integer("d_model").fallback(768).at_least(1).doc(
              "width of the residual stream (a multiple of n_head)"),
          param::integer("context").fallback(1024).at_least(1).doc("longest sequence"),
          param::integer("intermediate_size")
              .fallback(0)
              .at_least(0)
              .doc("SwiGLU hidden width; 0 means 8/3 d_model rounded up to multiple_of"),
          param::integer("multiple_of")
              .fallback(64)
              .at_least(1)
              .doc("rounding of the default intermediate_size"),
          param::number("rope_theta").fallback(10000.0).at_least(1).doc("RoPE base"),
          param::number("rms_norm_eps").fallback(1e-6).at_least(0).doc("RMSNorm's epsilon"),
          param::number("init_std")
              .fallback(0.02)
              .at_least(0)
              .doc("std of the normal initial weights (residual projections get /sqrt(2 n_layer))"),
          param::boolean("tie_embeddings")
              .fallback(false)
              .doc("use the token embedding as the output head (no lm_head.weight)"),
      })};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
