// Training throughput of the CPU path on GPT-2 shapes: the pretrain stage's step (forward,
// cross-entropy, backward, global-norm clipping, AdamW) on random tokens, timed per step.
//   forge_bench_train [--layers L] [--heads H] [--width C] [--batch B] [--seq T]
//                     [--vocab V] [--steps N] [--profile]
#include <forge/autograd.h>
#include <forge/ops.h>

#include "core/op_profile.h"
#include "plugin/registry.h"
#include "train/checkpoint_model.h"
#include "train/grad_norm.h"
#include "train/optimizer.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

using namespace forge;

struct Options {
  std::int64_t layers = 12, heads = 12, width = 768, batch = 4, seq = 64, vocab = 50257;
  int steps = 10;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string key = argv[i];
    long long value = std::stoll(argv[i + 1]);
    if (key == "--layers")
      o.layers = value;
    else if (key == "--heads")
      o.heads = value;
    else if (key == "--width")
      o.width = value;
    else if (key == "--batch")
      o.batch = value;
    else if (key == "--seq")
      o.seq = value;
    else if (key == "--vocab")
      o.vocab = value;
    else if (key == "--steps")
      o.steps = static_cast<int>(value);
    else
      throw Error("unknown option " + key);
  }
  return o;
}

Tensor random_ids(std::int64_t B, std::int64_t T, std::int64_t V, Generator& g) {
  std::vector<std::int32_t> ids(static_cast<std::size_t>(B * T));
  for (auto& id : ids) id = static_cast<std::int32_t>(g.next_u64() % static_cast<std::uint64_t>(V));
  return Tensor::from_ints(ids, {B, T});
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options o = parse(argc, argv);
    Registry& plugins = Registry::global();
    plugins.load_defaults();
    Node section = Node::map();
    section.set("plugin", Node::scalar("gpt2", true));
    section.set("n_layer", Node::scalar(std::to_string(o.layers)));
    section.set("n_head", Node::scalar(std::to_string(o.heads)));
    section.set("d_model", Node::scalar(std::to_string(o.width)));
    section.set("context", Node::scalar("1024"));
    auto plugin = make_plugin_from(section, PluginKind::architecture, "model", plugins);
    auto& architecture = static_cast<Architecture&>(*plugin);
    Generator init(1);
    ModelRequest request;
    request.vocab_size = o.vocab;
    request.init = &init;
    auto model = architecture.build(request);
    AdamW optimizer(*model, AdamWConfig{3e-4, 0.9, 0.95, 1e-8, 0.1, {}});
    std::int64_t params = 0;
    for (const auto& [name, t] : model->parameters()) params += t.numel();
    Generator data(2);
    std::vector<double> ms;
    double loss = 0;
    for (int step = 0; step < o.steps; ++step) {
      if (step == 2) op_profile_reset();  // FORGE_PROFILE=1 then shows the steady state
      Tensor ids = random_ids(o.batch, o.seq, o.vocab, data);
      Tensor targets = random_ids(o.batch, o.seq, o.vocab, data);
      auto start = std::chrono::steady_clock::now();
      optimizer.zero_grad();
      Tensor logits = model->forward(ids);
      Tensor l = ops::cross_entropy(logits.reshape({-1, o.vocab}), targets.reshape({-1}));
      l.backward();
      std::vector<Tensor> grads;
      for (const auto& [name, t] : model->parameters()) grads.push_back(t.grad());
      optimizer.step(3e-4, clip_factor(global_grad_norm(grads), 1.0));
      loss = l.item();
      ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count());
    }
    // The first steps touch fresh memory; the median of the rest is the steady state.
    std::vector<double> steady(ms.begin() + std::min<std::size_t>(2, ms.size() - 1), ms.end());
    std::sort(steady.begin(), steady.end());
    const double median = steady[steady.size() / 2];
    const double tokens = static_cast<double>(o.batch * o.seq);
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf(
        "forge L%lld C%lld B%lld T%lld V%lld params %lld: median step %.1f ms (min %.1f), "
        "%.1f tok/s, %.1f GFLOP/s, peak RSS %.0f MB, final loss %.4f\n",
        static_cast<long long>(o.layers), static_cast<long long>(o.width),
        static_cast<long long>(o.batch), static_cast<long long>(o.seq),
        static_cast<long long>(o.vocab), static_cast<long long>(params), median, steady.front(),
        tokens / (median / 1000), tokens / (median / 1000) * model->flops_per_token(o.seq) / 1e9,
        static_cast<double>(usage.ru_maxrss) / 1024, loss);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_train: %s\n", e.what());
    return 2;
  }
}
