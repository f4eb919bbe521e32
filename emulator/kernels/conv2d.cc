#include "kernels/conv2d.h"

#include <algorithm>
#include <vector>

#include "kernels/accumulate.h"
#include "kernels/im2col.h"

namespace zaccel::kernels {
namespace {

// out[r][j] = requant(bias[r] + acc_in[r][j] + sum_i w[r][i] * col[i][j]) for every output
// position j, or the sum itself into acc_out; i runs over the k rows of col that output
// channel r's group reads. On x86, built for AVX2 too where the CPU has it
// (same integers, wider vectors): inlined into two copies, one per target, picked at run time
// (not target_clones, with which clang 16 leaves the std::vector members it uses undefined).
// Elsewhere (armhf) the default copy only.
__attribute__((always_inline)) inline void mac_rows_body(
    const ConvParams &p, size_t k, size_t cols, const int16_t *w, const int64_t *bias,
    const std::vector<std::vector<size_t>> &runs, const int16_t *col, const Cascade &cas,
    int16_t *out) {
  std::vector<int64_t> acc(cols);
  std::vector<int32_t> part(cols);
  const uint32_t per_group = p.out_c / p.groups;
  const bool prelu = p.rq.act == Act::kPRelu;
  for (uint32_t r = 0; r < p.out_c; ++r) {
    const int16_t *wr = w + r * k;
    const int16_t *col_g = col + size_t{r / per_group} * k * cols;
    // A PRelu's channel has its own slope; any other output stage is the layer's.
    const std::pair<int64_t, Requant> stage = channel_stage(p.rq, bias ? bias[r] : 0);
    const int64_t b = stage.first;
    const Requant &rq = prelu ? stage.second : p.rq;
    const bool single = runs[r].size() == 1;  // the usual case below 16 bits
    if (!single) std::fill(acc.begin(), acc.end(), b);
    size_t i = 0;
    for (size_t end : runs[r]) {
      std::fill(part.begin(), part.end(), 0);
      for (; i < end; ++i) {
        const int32_t wv = wr[i];
        if (wv == 0) continue;
        const int16_t *cr = col_g + i * cols;
        for (size_t j = 0; j < cols; ++j)
          part[j] += wv * cr[j];
      }
      if (!single)
        for (size_t j = 0; j < cols; ++j)
          acc[j] += part[j];
    }
    const int64_t *add = cas.acc_in ? cas.acc_in + r * cols : nullptr;
    if (cas.acc_out) {
      for (size_t j = 0; j < cols; ++j)
        cas.acc_out[r * cols + j] = (single ? b + part[j] : acc[j]) + (add ? add[j] : 0);
      continue;
    }
    int16_t *dst = out + r * cols;
    for (size_t j = 0; j < cols; ++j)
      dst[j] = requantize((single ? b + part[j] : acc[j]) + (add ? add[j] : 0), rq);
  }
}

#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("avx2"))) void mac_rows_avx2(const ConvParams &p, size_t k, size_t cols,
                                                   const int16_t *w, const int64_t *bias,
                                                   const std::vector<std::vector<size_t>> &runs,
                                                   const int16_t *col, const Cascade &cas,
                                                   int16_t *out) {
  mac_rows_body(p, k, cols, w, bias, runs, col, cas, out);
}
#endif

void mac_rows_default(const ConvParams &p, size_t k, size_t cols, const int16_t *w,
                      const int64_t *bias, const std::vector<std::vector<size_t>> &runs,
                      const int16_t *col, const Cascade &cas, int16_t *out) {
  mac_rows_body(p, k, cols, w, bias, runs, col, cas, out);
}

void mac_rows(const ConvParams &p, size_t k, size_t cols, const int16_t *w, const int64_t *bias,
              const std::vector<std::vector<size_t>> &runs, const int16_t *col, const Cascade &cas,
              int16_t *out) {
#if defined(__x86_64__) || defined(__i386__)
  static const bool avx2 = (__builtin_cpu_init(), __builtin_cpu_supports("avx2"));
  (avx2 ? mac_rows_avx2 : mac_rows_default)(p, k, cols, w, bias, runs, col, cas, out);
#else
  mac_rows_default(p, k, cols, w, bias, runs, col, cas, out);
#endif
}

}  // namespace

void conv2d(const ConvParams &p, size_t n, const int16_t *in, const int16_t *weights,
            const int64_t *bias, int16_t *out, const Cascade &cascade) {
  const Dims od = conv2d_output(p);
  const size_t k = size_t{p.in.c / p.groups} * p.win.kh * p.win.kw;  // per output channel
  const size_t cols = size_t{od.h} * od.w;
  if (cols == 0 || p.out_c == 0 || n == 0) return;
  const auto runs = int32_runs(weights, p.out_c, k, max_abs(in, n * p.in.size()));
  std::vector<int16_t> col(size_t{p.in.c} * p.win.kh * p.win.kw * cols);
  for (size_t i = 0; i < n; ++i) {
    im2col(p.in, p.win, od, in + i * p.in.size(), col.data());
    const Cascade c{cascade.acc_in ? cascade.acc_in + i * od.size() : nullptr,
                    cascade.acc_out ? cascade.acc_out + i * od.size() : nullptr};
    mac_rows(p, k, cols, weights, bias, runs, col.data(), c, out ? out + i * od.size() : nullptr);
  }
}

}  // namespace zaccel::kernels
