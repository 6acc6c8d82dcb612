// Softmax over the last dim and the fused cross-entropy loss, one row of V logits at a time.
// Dimension letters: N rows, V classes (the vocabulary).
#include "cpu_kernels.h"
#include "kernel_util.h"

namespace forge::cpu {

void softmax(const OpCall& call) {
  by_float_type(call.out->dtype(), [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    using A = Acc<T>;
    const std::int64_t V = call.out->size(-1), N = V ? call.out->numel() / V : 0;
    const T* x = in_ptr<T>(call.in[0]);
    T* y = out_ptr<T>(call.out);
    for_chunks(N, 2 * V, [&](std::int64_t, std::int64_t begin, std::int64_t end) {
      std::vector<A> e(static_cast<std::size_t>(V));
      for (std::int64_t n = begin; n < end; ++n) {
        const T* row = x + n * V;
        A m = row_max(row, V);
        for (std::int64_t j = 0; j < V; ++j) e[j] = acc_exp(static_cast<A>(row[j]) - m);
        A inv = A(1) / row_sum(e.data(), V);
        for (std::int64_t j = 0; j < V; ++j) y[n * V + j] = static_cast<T>(e[j] * inv);
      }
    });
  });
}

// dx = y * (dy - sum(dy * y)), per row.
void softmax_backward(const OpCall& call) {
  by_float_type(call.out->dtype(), [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    using A = Acc<T>;
    const std::int64_t V = call.out->size(-1), N = V ? call.out->numel() / V : 0;
    const T* y = in_ptr<T>(call.in[0]);
    const T* dy = in_ptr<T>(call.in[1]);
    T* dx = out_ptr<T>(call.out);
    for_chunks(N, 2 * V, [&](std::int64_t, std::int64_t begin, std::int64_t end) {
      for (std::int64_t n = begin; n < end; ++n) {
        const T *yr = y + n * V, *dyr = dy + n * V;
        A dot = row_dot<A>(yr, dyr, V);
        for (std::int64_t j = 0; j < V; ++j)
          dx[n * V + j] = static_cast<T>(static_cast<A>(yr[j]) * (static_cast<A>(dyr[j]) - dot));
      }
    });
  });
}

// loss = sum_n w_n (lse_n - x[n, t_n] + z lse_n^2) / sum_n w_n over the counted rows (target
// not ignore_index, weight not 0). Probabilities are never stored: a row keeps only its lse.
void cross_entropy(const OpCall& call) {
  by_float_type(call.out->dtype(), [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    using A = Acc<T>;
    const Tensor& logits = *call.in[0];
    const std::int64_t V = logits.size(-1), N = logits.numel() / std::max<std::int64_t>(V, 1);
    const T* x = in_ptr<T>(&logits);
    const auto* targets = in_ptr<std::int32_t>(call.in[1]);
    const A* weights = in_ptr<A>(call.in[2]);
    A* lse = out_ptr<A>(call.aux[0]);
    const std::int64_t ignore = call.params.ignore_index;
    const A z = static_cast<A>(call.params.z_loss);
    // Per-chunk totals, added in chunk order: the same loss for any number of threads.
    std::vector<double> loss(static_cast<std::size_t>(chunk_count(N, 2 * V))), count(loss.size());
    for_chunks(N, 2 * V, [&](std::int64_t chunk, std::int64_t begin, std::int64_t end) {
      for (std::int64_t n = begin; n < end; ++n) {
        const std::int64_t t = targets[n];
        if (t != ignore && (t < 0 || t >= V))
          throw Error(cat("[cross_entropy] target ", t, " in row ", n,
                          " is outside the vocabulary [0, ", V, ") and is not ignore_index (",
                          ignore, ")"));
        const T* row = x + n * V;
        A m = row_max(row, V);
        A l = m + std::log(row_sum_exp(row, V, m));
        lse[n] = l;
        A w = weights ? weights[n] : A(1);
        if (t == ignore || w == A(0)) continue;
        loss[chunk] += static_cast<double>(w * (l - static_cast<A>(row[t]) + z * l * l));
        count[chunk] += static_cast<double>(w);
      }
    });
    double total = 0, counted = 0;
    for (std::size_t c = 0; c < loss.size(); ++c) total += loss[c], counted += count[c];
    *out_ptr<T>(call.out) = static_cast<T>(counted != 0 ? total / counted : 0.0);
    *out_ptr<A>(call.aux[1]) = static_cast<A>(counted);
  });
}

// dlogits[n, j] = dloss * w_n / count * (softmax_j * (1 + 2 z lse_n) - [j == t_n]), softmax
// recomputed from the saved lse; rows that do not count get zeros.
void cross_entropy_backward(const OpCall& call) {
  by_float_type(call.out->dtype(), [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    using A = Acc<T>;
    const std::int64_t V = call.out->size(-1), N = call.out->numel() / std::max<std::int64_t>(V, 1);
    const T* x = in_ptr<T>(call.in[0]);
    const auto* targets = in_ptr<std::int32_t>(call.in[1]);
    const A* lse = in_ptr<A>(call.in[2]);
    const A counted = *in_ptr<A>(call.in[3]);
    const A dloss = static_cast<A>(*in_ptr<T>(call.in[4]));
    const A* weights = in_ptr<A>(call.in[5]);
    T* dx = out_ptr<T>(call.out);
    const std::int64_t ignore = call.params.ignore_index;
    const A z = static_cast<A>(call.params.z_loss);
    for_chunks(N, 2 * V, [&](std::int64_t, std::int64_t begin, std::int64_t end) {
      for (std::int64_t n = begin; n < end; ++n) {
        const std::int64_t t = targets[n];
        A w = weights ? weights[n] : A(1);
        T* out = dx + n * V;
        if (t == ignore || w == A(0) || counted == A(0)) {
          std::fill(out, out + V, static_cast<T>(0.0f));
          continue;
        }
        const T* row = x + n * V;
        const A coef = dloss * w / counted, l = lse[n];
        const A prob_coef = coef * (A(1) + A(2) * z * l);
        for (std::int64_t j = 0; j < V; ++j)
          out[j] = static_cast<T>(prob_coef * acc_exp(static_cast<A>(row[j]) - l));
        out[t] = static_cast<T>(prob_coef * acc_exp(static_cast<A>(row[t]) - l) - coef);
      }
    });
  });
}

}  // namespace forge::cpu
