// Token embedding lookup with its deterministic scatter-add backward, and rotary position
// embedding. Dimension letters: N ids, V table rows, C channels; B, H, T, D for rope.
#include "cpu_kernels.h"
#include "kernel_util.h"

#include <cstring>

namespace forge::cpu {

void embedding(const OpCall& call) {
  const Tensor& table = *call.in[1];
  const std::int64_t N = call.in[0]->numel(), V = table.size(0), C = table.size(1);
  const auto* ids = in_ptr<std::int32_t>(call.in[0]);
  // Every id is checked before anything is written.
  for (std::int64_t n = 0; n < N; ++n)
    if (ids[n] < 0 || ids[n] >= V)
      throw Error(cat("[embedding] id ", ids[n], " at position ", n,
                      " is out of range for a table of ", V, " rows"));
  const std::size_t row_bytes = static_cast<std::size_t>(C) * dtype_size(table.dtype());
  const auto* source = static_cast<const char*>(table.data_ptr());
  auto* out = static_cast<char*>(call.out->data_ptr());
  for_chunks(N, C, [&](std::int64_t, std::int64_t begin, std::int64_t end) {
    for (std::int64_t n = begin; n < end; ++n)
      std::memcpy(out + n * row_bytes, source + ids[n] * row_bytes, row_bytes);
  });
}

// dtable[v] = sum of dout[n] over the n with ids[n] == v, added in order of n. A stable
// counting sort groups the positions of each id, so rows are independent and need no atomics.
void embedding_backward(const OpCall& call) {
  by_float_type(call.out->dtype(), [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    using A = Acc<T>;
    const std::int64_t N = call.in[0]->numel(), V = call.out->size(0), C = call.out->size(1);
    const auto* ids = in_ptr<std::int32_t>(call.in[0]);
    const T* dout = in_ptr<T>(call.in[1]);
    T* dtable = out_ptr<T>(call.out);
    std::vector<std::int64_t> start(static_cast<std::size_t>(V) + 1, 0), order(N);
    for (std::int64_t n = 0; n < N; ++n) {
      FORGE_CHECK(ids[n] >= 0 && ids[n] < V, "embedding ids were checked in the forward pass");
      ++start[ids[n] + 1];
    }
    for (std::int64_t v = 0; v < V; ++v) start[v + 1] += start[v];
    std::vector<std::int64_t> next(start.begin(), start.end() - 1);
    for (std::int64_t n = 0; n < N; ++n) order[next[ids[n]]++] = n;
    for_chunks(V, C, [&](std::int64_t, std::int64_t begin, std::int64_t end) {
      std::vector<A> total(static_cast<std::size_t>(C));
      for (std::int64_t v = begin; v < end; ++v) {
        std::fill(total.begin(), total.end(), A(0));
        for (std::int64_t k = start[v]; k < start[v + 1]; ++k) {
          const T* row = dout + order[k] * C;
          for (std::int64_t j = 0; j < C; ++j) total[j] += static_cast<A>(row[j]);
        }
        narrow(total.data(), C, dtable + v * C);
      }
    });
  });
}

namespace {

// cos and sin of (offset + t) * theta^(-2i / D) for t < T, i < D / 2, in double. Kept per
// thread for the last settings: the queries and keys of every layer share one table.
struct RopeTable {
  std::int64_t T = -1, half = -1, offset = 0;
  double theta = 0;
  std::vector<double> cos, sin;
};

const RopeTable& rope_table(std::int64_t T, std::int64_t half, std::int64_t offset, double theta) {
  thread_local RopeTable table;
  if (table.T == T && table.half == half && table.offset == offset && table.theta == theta)
    return table;
  table.T = T, table.half = half, table.offset = offset, table.theta = theta;
  table.cos.resize(static_cast<std::size_t>(T * half));
  table.sin.resize(table.cos.size());
  for (std::int64_t i = 0; i < half; ++i) {
    double frequency = std::pow(theta, -2.0 * static_cast<double>(i) / (2.0 * half));
    for (std::int64_t t = 0; t < T; ++t) {
      double angle = static_cast<double>(offset + t) * frequency;
      table.cos[t * half + i] = std::cos(angle);
      table.sin[t * half + i] = std::sin(angle);
    }
  }
  return table;
}

}  // namespace

// Hugging Face's rotate_half convention: element i pairs with i + D/2,
//   out[i] = x[i] cos - x[i + D/2] sin,  out[i + D/2] = x[i + D/2] cos + x[i] sin;
// the inverse rotation (the backward) flips the sign of sin.
void rope(const OpCall& call) {
  by_float_type(call.out->dtype(), [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    using A = Acc<T>;
    const Tensor& x = *call.in[0];
    const std::int64_t Tn = x.size(2), D = x.size(3), half = D / 2;
    const std::int64_t rows = Tn ? x.numel() / D : 0;
    const RopeTable& table = rope_table(Tn, half, call.params.offset, call.params.theta);
    const A sign = call.params.inverse ? A(-1) : A(1);
    const T* in = in_ptr<T>(&x);
    T* out = out_ptr<T>(call.out);
    for_chunks(rows, D, [&](std::int64_t, std::int64_t begin, std::int64_t end) {
      for (std::int64_t r = begin; r < end; ++r) {
        const double *c = &table.cos[(r % Tn) * half], *s = &table.sin[(r % Tn) * half];
        const T* xr = in + r * D;
        T* o = out + r * D;
        for (std::int64_t i = 0; i < half; ++i) {
          A x1 = static_cast<A>(xr[i]), x2 = static_cast<A>(xr[i + half]);
          A ci = static_cast<A>(c[i]), si = sign * static_cast<A>(s[i]);
          o[i] = static_cast<T>(x1 * ci - x2 * si);
          o[i + half] = static_cast<T>(x2 * ci + x1 * si);
        }
      }
    });
  });
}

}  // namespace forge::cpu
