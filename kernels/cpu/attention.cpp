// Flash-style attention on the CPU: queries go in blocks of rows, keys and values in blocks of
// kKeyBlock, with an online softmax, so no [T, S] score matrix exists beyond one block. The
// block products run through BLAS. Dimension letters: B batch, Hq query heads, Hkv key/value
// heads (a query head h reads kv head h / (Hq / Hkv)), T queries, S keys, D head size.
#include "blas.h"
#include "cpu_kernels.h"
#include "kernel_util.h"

namespace forge::cpu {
namespace {

constexpr std::int64_t kKeyBlock = 64;

struct Geometry {
  std::int64_t B, Hq, Hkv, T, S, D, offset;
  bool causal;
  double scale;
  std::int64_t q_block;                  // query rows per block
  const std::int32_t* starts = nullptr;  // packed documents: [B, T] first key of each query

  Geometry(const OpCall& call, int starts_input) {
    if (call.inputs > starts_input && call.in[starts_input])
      starts = call.in[starts_input]->data<std::int32_t>();
    const Tensor &q = *call.in[0], &k = *call.in[1];
    B = q.size(0), Hq = q.size(1), T = q.size(2), D = q.size(3);
    Hkv = k.size(1), S = k.size(2);
    offset = call.params.offset, causal = call.params.causal, scale = call.params.scale;
    q_block = std::clamp<std::int64_t>(
        kSingleThreadGemm / (kKeyBlock * std::max<std::int64_t>(D, 1)), 1, 64);
  }
  std::int64_t q_blocks() const { return (T + q_block - 1) / q_block; }
  // Keys [first, visible) that query row t of batch row b may read.
  std::int64_t visible(std::int64_t t) const { return causal ? offset + t + 1 : S; }
  std::int64_t first(std::int64_t b, std::int64_t t) const {
    return starts ? starts[b * T + t] : 0;
  }
  // Where a block of queries from row q0 starts reading keys: whole key blocks only, so
  // documents that end before the block's first document cost nothing.
  std::int64_t first_key(std::int64_t b, std::int64_t q0) const {
    return first(b, q0) / kKeyBlock * kKeyBlock;
  }
  // Big problems go to default_threads() workers; tiny ones stay on the calling thread.
  unsigned threads() const { return B * Hq * T * S * D > kChunkWork ? default_threads() : 1u; }
};

// Turns row i's entries [first[i], visible[i]) into exp(score - shift[i]) and the rest into 0
// (the causal and document masks).
template <class A>
void exp_rows(A* s, std::int64_t rows, std::int64_t cols, const A* shift, const std::int64_t* first,
              const std::int64_t* visible) {
  for (std::int64_t i = 0; i < rows; ++i) {
    A* row = s + i * cols;
    const std::int64_t n = std::clamp<std::int64_t>(visible[i], 0, cols);
    const std::int64_t lo = std::clamp<std::int64_t>(first[i], 0, n);
    for (std::int64_t j = 0; j < lo; ++j) row[j] = A(0);
    for (std::int64_t j = lo; j < n; ++j) row[j] = acc_exp(row[j] - shift[i]);
    for (std::int64_t j = n; j < cols; ++j) row[j] = A(0);
  }
}

template <class T>
void forward(const OpCall& call) {
  using A = Acc<T>;
  const Geometry g(call, 3);
  const std::int64_t blocks = g.q_blocks(), D = g.D;
  const T *q = in_ptr<T>(call.in[0]), *k = in_ptr<T>(call.in[1]), *v = in_ptr<T>(call.in[2]);
  T* out = out_ptr<T>(call.out);
  A* lse = out_ptr<A>(call.aux[0]);
  // The last query blocks see the most keys: hand them out first.
  parallel_for(static_cast<std::size_t>(g.B * g.Hq * blocks), g.threads(), [&](std::size_t task) {
    const std::int64_t head = static_cast<std::int64_t>(task) / blocks;  // b * Hq + h
    const std::int64_t b = head / g.Hq;
    const std::int64_t block = blocks - 1 - static_cast<std::int64_t>(task) % blocks;
    const std::int64_t kv_head = (head / g.Hq) * g.Hkv + (head % g.Hq) / (g.Hq / g.Hkv);
    const std::int64_t q0 = block * g.q_block, nq = std::min(g.q_block, g.T - q0);
    const std::int64_t keys = g.causal ? g.visible(q0 + nq - 1) : g.S;
    std::vector<A> q_buffer, k_buffer, v_buffer, scores(nq * kKeyBlock), acc(nq * D, A(0));
    std::vector<A> row_max(nq, -INFINITY), row_sum(nq, A(0)), block_max(nq);
    std::vector<std::int64_t> visible(nq), first(nq);
    const A* qb = widen(q + (head * g.T + q0) * D, nq * D, q_buffer);
    const T* k_head = k + kv_head * g.S * D;
    const T* v_head = v + kv_head * g.S * D;
    for (std::int64_t k0 = g.first_key(b, q0); k0 < keys; k0 += kKeyBlock) {
      const std::int64_t nk = std::min(kKeyBlock, keys - k0);
      const A* kb = widen(k_head + k0 * D, nk * D, k_buffer);
      const A* vb = widen(v_head + k0 * D, nk * D, v_buffer);
      gemm(false, true, nq, nk, D, static_cast<A>(g.scale), qb, D, kb, D, A(0), scores.data(), nk);
      // Online softmax: rescale what the earlier blocks accumulated to the new row maximum.
      for (std::int64_t i = 0; i < nq; ++i) {
        visible[i] = g.visible(q0 + i) - k0;
        first[i] = g.first(b, q0 + i) - k0;
        const std::int64_t n = std::clamp<std::int64_t>(visible[i], 0, nk);
        const std::int64_t lo = std::clamp<std::int64_t>(first[i], 0, n);
        block_max[i] = row_max[i];
        if (lo == n) continue;  // the masks hide this whole block from row i
        A m = std::max(row_max[i], cpu::row_max(&scores[i * nk + lo], n - lo));
        A correction = acc_exp(row_max[i] - m);
        block_max[i] = m;
        row_max[i] = m;
        row_sum[i] *= correction;
        for (std::int64_t d = 0; d < D; ++d) acc[i * D + d] *= correction;
      }
      exp_rows(scores.data(), nq, nk, block_max.data(), first.data(), visible.data());
      for (std::int64_t i = 0; i < nq; ++i) row_sum[i] += cpu::row_sum(&scores[i * nk], nk);
      gemm(false, false, nq, D, nk, A(1), scores.data(), nk, vb, D, A(1), acc.data(), D);
    }
    for (std::int64_t i = 0; i < nq; ++i) {
      const A inv = A(1) / row_sum[i];
      T* o = out + (head * g.T + q0 + i) * D;
      for (std::int64_t d = 0; d < D; ++d) o[d] = static_cast<T>(acc[i * D + d] * inv);
      lse[head * g.T + q0 + i] = row_max[i] + std::log(row_sum[i]);
    }
  });
}

// One task per kv head: it owns dk and dv of that head and walks every query head of its
// group, so no two tasks write the same gradient. With P = exp(scale q k^T - lse):
// dv += P^T dout, dS = P (dout v^T - rowsum(dout * out)) scale, dq += dS k, dk += dS^T q.
template <class T>
void backward(const OpCall& call) {
  using A = Acc<T>;
  const Geometry g(call, 6);
  const std::int64_t group = g.Hq / g.Hkv, D = g.D;
  const T *q = in_ptr<T>(call.in[0]), *k = in_ptr<T>(call.in[1]), *v = in_ptr<T>(call.in[2]);
  const T *out = in_ptr<T>(call.in[3]), *dout = in_ptr<T>(call.in[4]);
  const A* lse = in_ptr<A>(call.in[5]);
  T *dq = out_ptr<T>(call.out), *dk = out_ptr<T>(call.aux[0]), *dv = out_ptr<T>(call.aux[1]);
  parallel_for(static_cast<std::size_t>(g.B * g.Hkv), g.threads(), [&](std::size_t task) {
    const auto kv_head = static_cast<std::int64_t>(task);  // b * Hkv + kv
    const std::int64_t b = kv_head / g.Hkv;
    const T* k_head = k + kv_head * g.S * D;
    const T* v_head = v + kv_head * g.S * D;
    std::vector<A> dk_acc(g.S * D, A(0)), dv_acc(g.S * D, A(0));
    std::vector<A> q_buffer, do_buffer, k_buffer, v_buffer, dq_acc(g.q_block * D);
    std::vector<A> p(g.q_block * kKeyBlock), ds(p.size()), shift(g.q_block), delta(g.q_block);
    std::vector<std::int64_t> visible(g.q_block), first(g.q_block);
    for (std::int64_t r = 0; r < group; ++r) {
      const std::int64_t head = b * g.Hq + (kv_head % g.Hkv) * group + r;
      for (std::int64_t q0 = 0; q0 < g.T; q0 += g.q_block) {
        const std::int64_t nq = std::min(g.q_block, g.T - q0), row0 = head * g.T + q0;
        const std::int64_t keys = g.causal ? g.visible(q0 + nq - 1) : g.S;
        const A* qb = widen(q + row0 * D, nq * D, q_buffer);
        const A* dob = widen(dout + row0 * D, nq * D, do_buffer);
        for (std::int64_t i = 0; i < nq; ++i) {
          shift[i] = lse[row0 + i];
          delta[i] = row_dot<A>(dout + (row0 + i) * D, out + (row0 + i) * D, D);
        }
        std::fill(dq_acc.begin(), dq_acc.end(), A(0));
        for (std::int64_t k0 = g.first_key(b, q0); k0 < keys; k0 += kKeyBlock) {
          const std::int64_t nk = std::min(kKeyBlock, keys - k0);
          const A* kb = widen(k_head + k0 * D, nk * D, k_buffer);
          const A* vb = widen(v_head + k0 * D, nk * D, v_buffer);
          for (std::int64_t i = 0; i < nq; ++i) {
            visible[i] = g.visible(q0 + i) - k0;
            first[i] = g.first(b, q0 + i) - k0;
          }
          const auto scale = static_cast<A>(g.scale);
          gemm(false, true, nq, nk, D, scale, qb, D, kb, D, A(0), p.data(), nk);
          exp_rows(p.data(), nq, nk, shift.data(), first.data(), visible.data());
          gemm(true, false, nk, D, nq, A(1), p.data(), nk, dob, D, A(1), &dv_acc[k0 * D], D);
          gemm(false, true, nq, nk, D, A(1), dob, D, vb, D, A(0), ds.data(), nk);
          for (std::int64_t i = 0; i < nq; ++i)
            for (std::int64_t j = 0; j < nk; ++j)
              ds[i * nk + j] = p[i * nk + j] * (ds[i * nk + j] - delta[i]) * scale;
          gemm(false, false, nq, D, nk, A(1), ds.data(), nk, kb, D, A(1), dq_acc.data(), D);
          gemm(true, false, nk, D, nq, A(1), ds.data(), nk, qb, D, A(1), &dk_acc[k0 * D], D);
        }
        narrow(dq_acc.data(), nq * D, dq + row0 * D);
      }
    }
    narrow(dk_acc.data(), g.S * D, dk + kv_head * g.S * D);
    narrow(dv_acc.data(), g.S * D, dv + kv_head * g.S * D);
  });
}

}  // namespace

void attention(const OpCall& call) {
  by_float_type(call.out->dtype(),
                [&](auto* type) { forward<std::remove_pointer_t<decltype(type)>>(call); });
}

void attention_backward(const OpCall& call) {
  by_float_type(call.out->dtype(),
                [&](auto* type) { backward<std::remove_pointer_t<decltype(type)>>(call); });
}

}  // namespace forge::cpu
