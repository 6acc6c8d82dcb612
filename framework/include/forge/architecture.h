#pragma once

#include <forge/export.h>
#include <forge/plugin.h>
#include <forge/random.h>
#include <forge/tensor.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace forge {

// The sizes the engine and the trainer need to know of any transformer.
struct ModelShape {
  std::int64_t vocab_size = 0;    // the tokenizer's: the width of the logits
  std::int64_t padded_vocab = 0;  // rows of the token embedding (gpt2 pads to a multiple of 64)
  std::int64_t context = 0;
  std::int64_t n_layer = 0, n_head = 0, n_kv_head = 0, head_dim = 0, d_model = 0;
};

// Keys and values of every layer for generation: [B, n_kv_head, max_length, head_dim] each,
// filled up to length().
class FORGE_API KVCache {
 public:
  KVCache(const ModelShape& shape, std::int64_t batch, std::int64_t max_length, DType dtype,
          Device device);
  Tensor& keys(int layer) { return keys_[layer]; }
  Tensor& values(int layer) { return values_[layer]; }
  std::int64_t length() const { return length_; }
  std::int64_t capacity() const { return capacity_; }
  // Called by the model after every layer stored `n` new positions.
  void advance(std::int64_t n);
  void reset() { length_ = 0; }

 private:
  std::vector<Tensor> keys_, values_;
  std::int64_t length_ = 0, capacity_ = 0;
};

using NamedTensors = std::vector<std::pair<std::string, Tensor>>;

// What Model::forward may be given besides the ids.
struct ForwardOptions {
  // Inference only: the ids continue the cache's filled positions and their keys and values
  // are appended to it.
  KVCache* cache = nullptr;
  // Packed training windows: i32 [B, T], the position where each token's document starts.
  // Attention then stays inside each document, and positions count from its start.
  Tensor document_starts;
  // Return the final normalised hidden states [B, T, d_model] instead of the logits: what a
  // reward model's scalar head reads.
  bool features = false;
  // Training: keep only each block's input and run the block again during backward
  // (nn::recompute), for less activation memory at the cost of a second forward pass.
  bool recompute = false;
};

// A transformer made by an architecture plugin.
class FORGE_API Model {
 public:
  virtual ~Model();
  virtual const ModelShape& shape() const = 0;
  // Trainable parameters by their Hugging Face names, in a stable order.
  virtual NamedTensors& parameters() = 0;
  // Logits [B, T, vocab_size] for ids [B, T] (i32); padded rows of the embedding never score.
  // With options.features, the final normalised hidden states [B, T, d_model] instead.
  virtual Tensor forward(const Tensor& ids, const ForwardOptions& options) = 0;
  Tensor forward(const Tensor& ids, KVCache* cache = nullptr) {
    ForwardOptions options;
    options.cache = cache;
    return forward(ids, options);
  }
  // Whether AdamW decays a parameter: by default every matrix but embeddings.
  virtual bool decays(const std::string& name) const;
  // Training FLOPs per token (forward and backward) on sequences of `seq_len` tokens, for MFU.
  virtual double flops_per_token(std::int64_t seq_len) const = 0;
};

// What a stage gives an architecture to build a model.
struct ModelRequest {
  std::int64_t vocab_size = 0;  // the tokenizer's
  Device device;
  DType dtype = DType::f32;
  Generator* init = nullptr;  // initial weights are drawn from it
};

class FORGE_API Architecture : public Plugin {
 public:
  static constexpr PluginKind kKind = PluginKind::architecture;
  virtual std::unique_ptr<Model> build(const ModelRequest& request) const = 0;
  // The longest sequence its models take, known before one is built, so that validation can
  // check batch shapes against it; 0 when only the built model knows.
  virtual std::int64_t context() const { return 0; }
};

}  // namespace forge
