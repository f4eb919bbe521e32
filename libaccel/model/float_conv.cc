// Float convolution: im2col and a multiply-accumulate over the columns. A plain convolution
// (one group, no dilation, a plane of bounded size) lays its columns out with the kernels'
// im2col, as the fixed-point IP does; grouped, dilated and large ones with a dilated copy
// here, one group and one band of output positions at a time.
#include <algorithm>
#include <cerrno>

#include "kernels/im2col.h"
#include "model/float_ops.h"
#include "util/error.h"

namespace zaccel::float_ops {
namespace {

// The column buffer of a convolution holds at most this many floats: a larger output plane
// is computed a band of output positions at a time.
constexpr size_t kMaxColumns = size_t{1} << 22;

// Columns of input channels [c0, c0 + cn) of one CHW image for the output positions [p0, p1)
// (row-major): col[(c, ky, kx)][p - p0], zero where the dilated window covers padding.
void im2col_range(const Node &l, uint32_t c0, uint32_t cn, size_t p0, size_t p1, const float *img,
                  float *col) {
  const Window &w = l.win;
  const size_t len = p1 - p0;
  for (uint32_t c = 0; c < cn; ++c) {
    const float *src = img + size_t{c0 + c} * l.in.h * l.in.w;
    for (uint32_t ky = 0; ky < w.kh; ++ky) {
      for (uint32_t kx = 0; kx < w.kw; ++kx) {
        float *dst = col + ((size_t{c} * w.kh + ky) * w.kw + kx) * len;
        for (size_t p = p0; p < p1; ++p) {
          const auto oy = static_cast<int64_t>(p / l.out.w), ox = static_cast<int64_t>(p % l.out.w);
          const int64_t iy = oy * w.stride_h + int64_t{ky} * w.dil_h - w.pad_top;
          const int64_t ix = ox * w.stride_w + int64_t{kx} * w.dil_w - w.pad_left;
          const bool inside = iy >= 0 && iy < l.in.h && ix >= 0 && ix < l.in.w;
          dst[p - p0] = inside ? src[iy * l.in.w + ix] : 0.0f;
        }
      }
    }
  }
}

// out[r][p] = bias[r] + sum_j weights[r][j] * col[j][p] for the `rows` output channels from
// `r0`, each of `k` weights, over `cols` columns written `stride` apart per channel.
void mac(const Node &l, uint32_t r0, uint32_t rows, size_t k, size_t cols, size_t stride,
         const float *col, float *dst) {
  for (uint32_t r = r0; r < r0 + rows; ++r) {
    float *row = dst + r * stride;
    std::fill(row, row + cols, l.bias.empty() ? 0.0f : l.bias[r]);
    for (size_t j = 0; j < k; ++j) {
      const float w = l.weights[r * k + j];
      const float *c = col + j * cols;
      for (size_t p = 0; p < cols; ++p)
        row[p] += w * c[p];
    }
  }
}

}  // namespace

Tensor conv(const Node &l, const TensorView &x) {
  if (x.rank() != 4 || dims_of({x.shape.begin(), x.shape.end()}) != l.in)
    fail(EINVAL, l.where(), ": input shape does not fit the layer");
  const size_t n = static_cast<size_t>(x.shape[0]);
  Tensor out{{x.shape[0], l.out.c, l.out.h, l.out.w}, {}};
  out.data.resize(n * l.out.size());
  const uint32_t cin = l.in.c / l.group, cout = l.out.c / l.group;
  const size_t k = size_t{cin} * l.win.kh * l.win.kw, cols = size_t{l.out.h} * l.out.w;
  if (out.data.empty()) return out;
  // Output positions per band: all of them unless the columns would be too many.
  const size_t band = std::clamp<size_t>(kMaxColumns / std::max<size_t>(k, 1), 1, cols);
  std::vector<float> col(k * band);
  const bool plain = l.group == 1 && l.win.dil_h == 1 && l.win.dil_w == 1 && band == cols;
  for (size_t i = 0; i < n; ++i) {
    const float *img = x.data + i * l.in.size();
    float *dst = out.data.data() + i * l.out.size();
    for (uint32_t g = 0; g < l.group; ++g) {
      if (plain) {
        kernels::im2col(l.in, l.win, l.out, img, col.data());
        mac(l, g * cout, cout, k, cols, cols, col.data(), dst);
        continue;
      }
      for (size_t p0 = 0; p0 < cols; p0 += band) {
        const size_t p1 = std::min(cols, p0 + band);
        im2col_range(l, g * cin, cin, p0, p1, img, col.data());
        mac(l, g * cout, cout, k, p1 - p0, cols, col.data(), dst + p0);
      }
    }
  }
  if (l.relu) {
    for (float &v : out.data)
      v = std::max(v, 0.0f);
  }
  return out;
}

}  // namespace zaccel::float_ops
