// Bit-exact 2-D convolution IP kernel.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/fixed.h"
#include "kernels/shape.h"

namespace zaccel::kernels {

struct ConvParams {
  Dims in;         ///< input channels, height, width
  uint32_t out_c;  ///< output channels (filters)
  Window win;      ///< kernel size, stride, zero padding
  Requant rq;      ///< accumulator to output
  /// Channel groups: input group g (in.c / groups channels) gives only output group g
  /// (out_c / groups channels); both are multiples of it. Depthwise: groups = in.c.
  uint32_t groups = 1;
};

/// Output dimensions of a convolution.
inline Dims conv2d_output(const ConvParams &p) {
  return window_output(p.in, p.win, p.out_c);
}

/// Convolves `n` images. `weights` is [out_c][in.c / groups][kh][kw]; `bias` is [out_c] in
/// accumulator units (weight frac + input frac), or null. `out` receives n *
/// conv2d_output(p).size() values; with `cascade.acc_out`, the sums go there instead, unrounded
/// (`out` unused).
void conv2d(const ConvParams &p, size_t n, const int16_t *in, const int16_t *weights,
            const int64_t *bias, int16_t *out, const Cascade &cascade = {});

}  // namespace zaccel::kernels
