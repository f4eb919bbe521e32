// Float max and average pooling over (dilated) windows. Padding never enters a maximum. An
// average divides by the window's elements inside the input, or with count_include_pad by
// those inside the padded input (a ceil_mode window that hangs past the padding does not
// count what hangs over).
#include <algorithm>
#include <cerrno>
#include <limits>

#include "model/float_ops.h"
#include "util/error.h"

namespace zaccel::float_ops {

Tensor pool(const Node &l, const TensorView &x) {
  if (x.rank() != 4 || dims_of({x.shape.begin(), x.shape.end()}) != l.in)
    fail(EINVAL, l.where(), ": input shape does not fit the layer");
  const size_t n = static_cast<size_t>(x.shape[0]);
  Tensor out{{x.shape[0], l.out.c, l.out.h, l.out.w}, {}};
  out.data.resize(n * l.out.size());
  const Window &w = l.win;
  const bool is_max = l.pool == kernels::PoolKind::kMax;
  const int64_t h = l.in.h, wd = l.in.w;
  for (size_t plane = 0; plane < n * l.in.c; ++plane) {
    const float *src = x.data + plane * l.in.h * l.in.w;
    float *dst = out.data.data() + plane * l.out.h * l.out.w;
    for (uint32_t oy = 0; oy < l.out.h; ++oy) {
      for (uint32_t ox = 0; ox < l.out.w; ++ox) {
        const int64_t y0 = int64_t{oy} * w.stride_h - w.pad_top;
        const int64_t x0 = int64_t{ox} * w.stride_w - w.pad_left;
        float acc = is_max ? -std::numeric_limits<float>::infinity() : 0.0f;
        int count = 0, padded = 0;
        for (uint32_t ky = 0; ky < w.kh; ++ky) {
          const int64_t y = y0 + int64_t{ky} * w.dil_h;
          if (y < -int64_t{w.pad_top} || y >= h + w.pad_bottom) continue;
          for (uint32_t kx = 0; kx < w.kw; ++kx) {
            const int64_t xx = x0 + int64_t{kx} * w.dil_w;
            if (xx < -int64_t{w.pad_left} || xx >= wd + w.pad_right) continue;
            ++padded;
            if (y < 0 || y >= h || xx < 0 || xx >= wd) continue;
            const float v = src[y * wd + xx];
            acc = is_max ? std::max(acc, v) : acc + v;
            ++count;
          }
        }
        const int div = l.count_include_pad ? padded : count;
        dst[oy * l.out.w + ox] = count == 0 ? 0.0f : is_max ? acc : acc / static_cast<float>(div);
      }
    }
  }
  return out;
}

}  // namespace zaccel::float_ops
