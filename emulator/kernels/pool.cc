#include "kernels/pool.h"

#include <algorithm>
#include <limits>

#include "kernels/fixed.h"

namespace zaccel::kernels {

void pool(const PoolParams &p, size_t n, const int16_t *in, int16_t *out) {
  const Dims od = pool_output(p);
  const Window &w = p.win;
  for (size_t i = 0; i < n; ++i) {
    for (uint32_t c = 0; c < p.in.c; ++c) {
      const int16_t *plane = in + (i * p.in.c + c) * size_t{p.in.h} * p.in.w;
      int16_t *dst = out + (i * od.c + c) * size_t{od.h} * od.w;
      for (uint32_t oy = 0; oy < od.h; ++oy) {
        for (uint32_t ox = 0; ox < od.w; ++ox) {
          const int64_t y0 = int64_t{oy} * w.stride_h - w.pad_top;
          const int64_t x0 = int64_t{ox} * w.stride_w - w.pad_left;
          int64_t acc = p.kind == PoolKind::kMax ? std::numeric_limits<int16_t>::min() : 0;
          int64_t count = 0;
          // The taps inside the input, dilation apart; those on padding are not counted.
          for (uint32_t ky = 0; ky < w.kh; ++ky) {
            const int64_t y = y0 + int64_t{ky} * w.dil_h;
            if (y < 0 || y >= p.in.h) continue;
            for (uint32_t kx = 0; kx < w.kw; ++kx) {
              const int64_t x = x0 + int64_t{kx} * w.dil_w;
              if (x < 0 || x >= p.in.w) continue;
              const int16_t v = plane[y * p.in.w + x];
              acc = p.kind == PoolKind::kMax ? std::max<int64_t>(acc, v) : acc + v;
              ++count;
            }
          }
          int64_t v = 0;
          if (count > 0 && p.kind == PoolKind::kMax) {
            v = acc;
          } else if (count > 0) {
            v = div_round(acc, p.count_include_pad ? int64_t{w.kh} * w.kw : count);
          }
          dst[size_t{oy} * od.w + ox] = static_cast<int16_t>(v);
        }
      }
    }
  }
}

void relu(size_t count, int16_t *data) {
  for (size_t i = 0; i < count; ++i)
    data[i] = std::max<int16_t>(data[i], 0);
}

}  // namespace zaccel::kernels
