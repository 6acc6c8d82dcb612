#include <forge/architecture.h>
#include <forge/loss.h>

#include <gtest/gtest.h>

namespace forge {
namespace {

ModelShape tiny_shape() {
  ModelShape shape;
  shape.vocab_size = 64;
  shape.context = 8;
  shape.n_layer = 2;
  shape.n_head = 4;
  shape.n_kv_head = 2;
  shape.head_dim = 3;
  shape.d_model = 12;
  return shape;
}

TEST(KVCache, HoldsEveryLayerAndRefusesOverflow) {
  KVCache cache(tiny_shape(), 5, 6, DType::f32, Device::cpu());
  EXPECT_EQ(cache.keys(1).shape(), (Shape{5, 2, 6, 3}));
  EXPECT_EQ(cache.values(0).shape(), (Shape{5, 2, 6, 3}));
  cache.advance(4);
  EXPECT_EQ(cache.length(), 4);
  EXPECT_THROW(cache.advance(3), Error);
  cache.reset();
  EXPECT_EQ(cache.length(), 0);
  EXPECT_THROW(KVCache(tiny_shape(), 1, 9, DType::f32, Device::cpu()), Error);
}

// Only parameters() and the default decays() matter here.
class NamedOnly : public Model {
 public:
  NamedOnly() {
    params_ = {{"transformer.wte.weight", Tensor::zeros({64, 12})},
               {"transformer.h.0.ln_1.weight", Tensor::zeros({12})},
               {"transformer.h.0.attn.c_attn.weight", Tensor::zeros({12, 36})},
               {"transformer.h.0.attn.c_attn.bias", Tensor::zeros({36})}};
  }
  const ModelShape& shape() const override { return shape_; }
  NamedTensors& parameters() override { return params_; }
  using Model::forward;
  Tensor forward(const Tensor& ids, const ForwardOptions&) override { return ids; }
  double flops_per_token(std::int64_t) const override { return 0; }

 private:
  ModelShape shape_ = tiny_shape();
  NamedTensors params_;
};

TEST(Model, DecaysMatricesButNotEmbeddingsNormsOrBiases) {
  NamedOnly model;
  EXPECT_TRUE(model.decays("transformer.h.0.attn.c_attn.weight"));
  EXPECT_FALSE(model.decays("transformer.wte.weight"));
  EXPECT_FALSE(model.decays("transformer.h.0.ln_1.weight"));
  EXPECT_FALSE(model.decays("transformer.h.0.attn.c_attn.bias"));
  EXPECT_FALSE(model.decays("no.such.parameter"));
}

TEST(LossBatch, NamesWhatIsMissing) {
  LossBatch batch;
  batch.tensors["logits"] = Tensor::zeros({1, 2, 3});
  EXPECT_NE(batch.find("logits"), nullptr);
  EXPECT_EQ(batch.find("targets"), nullptr);
  try {
    batch.get("targets");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "the loss needs a 'targets' tensor, but the batch holds only: logits");
  }
}

}  // namespace
}  // namespace forge
