// Fused layer norm and RMS norm over the last dim, forward (saving the row statistics) and
// backward. Dimension letters: R rows, C channels.
#include "cpu_kernels.h"
#include "kernel_util.h"

namespace forge::cpu {
namespace {

// The weight (and bias) gradients are sums over rows: each chunk of rows adds into its own
// partial row, and the partials are added in chunk order, so the result never depends on
// the number of threads.
template <class T>
struct ParamGrads {
  using A = Acc<T>;
  ParamGrads(std::int64_t rows, std::int64_t channels, const OpCall& call)
      : C(channels), dweight(out_ptr<T>(call.aux[0])), dbias(out_ptr<T>(call.aux[1])) {
    auto size = static_cast<std::size_t>(chunk_count(rows, channels) * channels);
    if (dweight) partial_weight.assign(size, A(0));
    if (dbias) partial_bias.assign(size, A(0));
  }
  A* weight_row(std::int64_t chunk) { return dweight ? &partial_weight[chunk * C] : nullptr; }
  A* bias_row(std::int64_t chunk) { return dbias ? &partial_bias[chunk * C] : nullptr; }
  void finish() const {
    reduce(partial_weight, dweight);
    reduce(partial_bias, dbias);
  }
  void reduce(const std::vector<A>& partial, T* out) const {
    if (!out) return;
    std::vector<A> total(static_cast<std::size_t>(C), A(0));
    for (std::size_t at = 0; at < partial.size(); at += static_cast<std::size_t>(C))
      for (std::int64_t j = 0; j < C; ++j) total[j] += partial[at + j];
    narrow(total.data(), C, out);
  }

  std::int64_t C;
  T *dweight, *dbias;
  std::vector<A> partial_weight, partial_bias;
};

std::int64_t rows_of(const Tensor& x) { return x.size(-1) ? x.numel() / x.size(-1) : 0; }

}  // namespace

// y = (x - mean) * rstd * weight + bias, rstd = 1 / sqrt(var + eps) (biased variance).
void layer_norm(const OpCall& call) {
  by_float_type(call.out->dtype(), [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    using A = Acc<T>;
    const std::int64_t C = call.in[0]->size(-1), R = rows_of(*call.in[0]);
    const T *x = in_ptr<T>(call.in[0]), *weight = in_ptr<T>(call.in[1]);
    const T* bias = in_ptr<T>(call.in[2]);
    T* y = out_ptr<T>(call.out);
    A *mean = out_ptr<A>(call.aux[0]), *rstd = out_ptr<A>(call.aux[1]);
    const A eps = static_cast<A>(call.params.eps);
    for_chunks(R, C, [&](std::int64_t, std::int64_t begin, std::int64_t end) {
      std::vector<A> buffer;
      for (std::int64_t r = begin; r < end; ++r) {
        const A* row = widen(x + r * C, C, buffer);
        A mu = row_sum(row, C) / static_cast<A>(C);
        A var = sum_over<A>(C, [&](std::int64_t j) { return (row[j] - mu) * (row[j] - mu); });
        A s = A(1) / std::sqrt(var / static_cast<A>(C) + eps);
        mean[r] = mu;
        rstd[r] = s;
        T* out = y + r * C;
        for (std::int64_t j = 0; j < C; ++j) {
          A value = (row[j] - mu) * s * static_cast<A>(weight[j]);
          out[j] = static_cast<T>(bias ? value + static_cast<A>(bias[j]) : value);
        }
      }
    });
  });
}

// With xhat = (x - mean) rstd and g = dy * weight:
// dx = rstd (g - mean(g) - xhat mean(g xhat)), dweight = sum_rows dy xhat, dbias = sum_rows dy.
void layer_norm_backward(const OpCall& call) {
  by_float_type(call.out->dtype(), [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    using A = Acc<T>;
    const std::int64_t C = call.in[1]->size(-1), R = rows_of(*call.in[1]);
    const T *dy = in_ptr<T>(call.in[0]), *x = in_ptr<T>(call.in[1]);
    const T* weight = in_ptr<T>(call.in[2]);
    const A *mean = in_ptr<A>(call.in[3]), *rstd = in_ptr<A>(call.in[4]);
    T* dx = out_ptr<T>(call.out);
    ParamGrads<T> grads(R, C, call);
    for_chunks(R, C, [&](std::int64_t chunk, std::int64_t begin, std::int64_t end) {
      std::vector<A> xhat(static_cast<std::size_t>(C)), g(xhat.size());
      A *dw = grads.weight_row(chunk), *db = grads.bias_row(chunk);
      for (std::int64_t r = begin; r < end; ++r) {
        const T *xr = x + r * C, *dyr = dy + r * C;
        const A mu = mean[r], s = rstd[r];
        for (std::int64_t j = 0; j < C; ++j) {
          xhat[j] = (static_cast<A>(xr[j]) - mu) * s;
          g[j] = static_cast<A>(dyr[j]) * static_cast<A>(weight[j]);
        }
        const A g_mean = row_sum(g.data(), C) / static_cast<A>(C);
        const A gx_mean = row_dot<A>(g.data(), xhat.data(), C) / static_cast<A>(C);
        T* out = dx + r * C;
        for (std::int64_t j = 0; j < C; ++j)
          out[j] = static_cast<T>(s * (g[j] - g_mean - xhat[j] * gx_mean));
        if (dw)
          for (std::int64_t j = 0; j < C; ++j) dw[j] += static_cast<A>(dyr[j]) * xhat[j];
        if (db)
          for (std::int64_t j = 0; j < C; ++j) db[j] += static_cast<A>(dyr[j]);
      }
    });
    grads.finish();
  });
}

// y = x * rstd * weight, rstd = 1 / sqrt(mean(x^2) + eps).
void rms_norm(const OpCall& call) {
  by_float_type(call.out->dtype(), [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    using A = Acc<T>;
    const std::int64_t C = call.in[0]->size(-1), R = rows_of(*call.in[0]);
    const T *x = in_ptr<T>(call.in[0]), *weight = in_ptr<T>(call.in[1]);
    T* y = out_ptr<T>(call.out);
    A* rstd = out_ptr<A>(call.aux[0]);
    const A eps = static_cast<A>(call.params.eps);
    for_chunks(R, C, [&](std::int64_t, std::int64_t begin, std::int64_t end) {
      for (std::int64_t r = begin; r < end; ++r) {
        const T* row = x + r * C;
        A s = A(1) / std::sqrt(row_dot<A>(row, row, C) / static_cast<A>(C) + eps);
        rstd[r] = s;
        T* out = y + r * C;
        for (std::int64_t j = 0; j < C; ++j)
          out[j] = static_cast<T>(static_cast<A>(row[j]) * s * static_cast<A>(weight[j]));
      }
    });
  });
}

// With xhat = x rstd and g = dy * weight: dx = rstd (g - xhat mean(g xhat)),
// dweight = sum_rows dy xhat.
void rms_norm_backward(const OpCall& call) {
  by_float_type(call.out->dtype(), [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    using A = Acc<T>;
    const std::int64_t C = call.in[1]->size(-1), R = rows_of(*call.in[1]);
    const T *dy = in_ptr<T>(call.in[0]), *x = in_ptr<T>(call.in[1]);
    const T* weight = in_ptr<T>(call.in[2]);
    const A* rstd = in_ptr<A>(call.in[3]);
    T* dx = out_ptr<T>(call.out);
    ParamGrads<T> grads(R, C, call);
    for_chunks(R, C, [&](std::int64_t chunk, std::int64_t begin, std::int64_t end) {
      std::vector<A> xhat(static_cast<std::size_t>(C)), g(xhat.size());
      A* dw = grads.weight_row(chunk);
      for (std::int64_t r = begin; r < end; ++r) {
        const T *xr = x + r * C, *dyr = dy + r * C;
        const A s = rstd[r];
        for (std::int64_t j = 0; j < C; ++j) {
          xhat[j] = static_cast<A>(xr[j]) * s;
          g[j] = static_cast<A>(dyr[j]) * static_cast<A>(weight[j]);
        }
        const A gx_mean = row_dot<A>(g.data(), xhat.data(), C) / static_cast<A>(C);
        T* out = dx + r * C;
        for (std::int64_t j = 0; j < C; ++j)
          out[j] = static_cast<T>(s * (g[j] - xhat[j] * gx_mean));
        if (dw)
          for (std::int64_t j = 0; j < C; ++j) dw[j] += static_cast<A>(dyr[j]) * xhat[j];
      }
    });
    grads.finish();
  });
}

}  // namespace forge::cpu
