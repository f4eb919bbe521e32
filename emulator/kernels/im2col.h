// Lays one CHW image out as columns for a windowed multiply-accumulate:
// col[(c, ky, kx)][(oy, ox)], zero where the window covers padding; tap (ky, kx) reads
// (oy * stride + ky * dilation - pad, ...). Shared by the fixed-point
// convolution IP and the float reference path.
#pragma once

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
        for (uint32_t oy = 0; oy < out.h; ++oy) {
          const int64_t iy = int64_t{oy} * w.stride_h + int64_t{ky} * w.dil_h - w.pad_top;
          T *dst = row + size_t{oy} * out.w;
          if (iy < 0 || iy >= in.h) {
            for (uint32_t ox = 0; ox < out.w; ++ox)
              dst[ox] = T{0};
            continue;
          }
          const T *src = img + (size_t{c} * in.h + static_cast<size_t>(iy)) * in.w;
          for (uint32_t ox = 0; ox < out.w; ++ox) {
            const int64_t ix = int64_t{ox} * w.stride_w + int64_t{kx} * w.dil_w - w.pad_left;
            dst[ox] = (ix < 0 || ix >= in.w) ? T{0} : src[ix];
          }
        }
      }
    }
  }
}

}  // namespace zaccel::kernels
