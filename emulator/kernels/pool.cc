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
          const int64_t ya = std::max<int64_t>(y0, 0), yb = std::min<int64_t>(y0 + w.kh, p.in.h);
          const int64_t xa = std::max<int64_t>(x0, 0), xb = std::min<int64_t>(x0 + w.kw, p.in.w);
          int64_t acc = p.kind == PoolKind::kMax ? std::numeric_limits<int16_t>::min() : 0;
          int64_t count = 0;
          for (int64_t y = ya; y < yb; ++y) {
            for (int64_t x = xa; x < xb; ++x) {
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
