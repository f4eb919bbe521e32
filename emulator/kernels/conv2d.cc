#include "kernels/conv2d.h"

#include <vector>

#include "kernels/accumulate.h"
#include "kernels/im2col.h"

namespace zaccel::kernels {
namespace {

// out[r][j] = requant(bias[r] + sum_k w[r][k] * col[k][j]) for a row of `cols` positions.
template <typename Acc>
void mac_rows(const ConvParams &p, size_t k, size_t cols, const int16_t *w, const int64_t *bias,
              const int16_t *col, int16_t *out) {
  std::vector<Acc> acc(cols);
  for (uint32_t r = 0; r < p.out_c; ++r) {
    const Acc b = bias ? static_cast<Acc>(bias[r]) : Acc{0};
    for (size_t j = 0; j < cols; ++j) acc[j] = b;
    const int16_t *wr = w + r * k;
    for (size_t i = 0; i < k; ++i) {
      const Acc wv = wr[i];
      if (wv == 0) continue;
      const int16_t *cr = col + i * cols;
      for (size_t j = 0; j < cols; ++j) acc[j] += wv * static_cast<Acc>(cr[j]);
    }
    int16_t *dst = out + r * cols;
    for (size_t j = 0; j < cols; ++j) dst[j] = requantize(acc[j], p.rq);
  }
}

}  // namespace

void conv2d(const ConvParams &p, size_t n, const int16_t *in, const int16_t *weights,
            const int64_t *bias, int16_t *out) {
  const Dims od = conv2d_output(p);
  const size_t k = size_t{p.in.c} * p.win.kh * p.win.kw;
  const size_t cols = size_t{od.h} * od.w;
  if (cols == 0 || p.out_c == 0 || n == 0) return;
  const bool narrow = fits_int32(weights, bias, p.out_c, k, max_abs(in, n * p.in.size()));
  std::vector<int16_t> col(k * cols);
  for (size_t i = 0; i < n; ++i) {
    im2col(p.in, p.win, od, in + i * p.in.size(), col.data());
    if (narrow)
      mac_rows<int32_t>(p, k, cols, weights, bias, col.data(), out + i * od.size());
    else
      mac_rows<int64_t>(p, k, cols, weights, bias, col.data(), out + i * od.size());
  }
}

}  // namespace zaccel::kernels
