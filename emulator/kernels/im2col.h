// Lays one CHW image out as columns for a windowed multiply-accumulate:
// col[(c, ky, kx)][(oy, ox)], zero where the window covers padding; tap (ky, kx) reads
// (oy * stride + ky * dilation - pad, ...). Shared by the fixed-point
// convolution IP and the float reference path.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "kernels/shape.h"

namespace zaccel::kernels {

template <typename T>
void im2col(const Dims &in, const Window &w, const Dims &out, const T *img, T *col) {
  const size_t plane = size_t{out.h} * out.w;
  for (uint32_t c = 0; c < in.c; ++c) {
    for (uint32_t ky = 0; ky < w.kh; ++ky) {
      for (uint32_t kx = 0; kx < w.kw; ++kx) {
        T *row = col + ((size_t{c} * w.kh + ky) * w.kw + kx) * plane;
        const int64_t y0 = int64_t{ky} * w.dil_h - w.pad_top;
        const int64_t x0 = int64_t{kx} * w.dil_w - w.pad_left, sx = w.stride_w;
        // The outputs whose tap lands inside the row: ox in [lo, hi).
        const int64_t lo = std::clamp<int64_t>(x0 < 0 ? (-x0 + sx - 1) / sx : 0, 0, out.w);
        const int64_t hi = std::clamp<int64_t>(in.w > x0 ? (int64_t{in.w} - x0 + sx - 1) / sx : 0,
                                               lo, int64_t{out.w});
        for (uint32_t oy = 0; oy < out.h; ++oy) {
          const int64_t iy = int64_t{oy} * w.stride_h + y0;
          T *dst = row + size_t{oy} * out.w;
          if (iy < 0 || iy >= in.h) {
            std::fill(dst, dst + out.w, T{0});
            continue;
          }
          const T *src = img + (size_t{c} * in.h + static_cast<size_t>(iy)) * in.w + x0;
          std::fill(dst, dst + lo, T{0});
          if (sx == 1) {
            std::copy(src + lo, src + hi, dst + lo);
          } else {
            for (int64_t ox = lo; ox < hi; ++ox)
              dst[ox] = src[ox * sx];
          }
          std::fill(dst + hi, dst + out.w, T{0});
        }
      }
    }
  }
}

}  // namespace zaccel::kernels
