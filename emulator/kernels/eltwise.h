// Bit-exact element-wise IP kernel (uapi DRM_ZACCEL_IP_ELTWISE): a residual Add.
//
// The two operands have their own fractional bits; `align` shifts the one with fewer to the
// other's (b left by align when align >= 0, else a left by -align), so that their sum is exact
// in the accumulator, which is then requantized as a conv IP's is (kernels/fixed.h).
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/fixed.h"

namespace zaccel::kernels {

/// Largest operand alignment, either way: a 16-bit value shifted by it stays below 2^48.
inline constexpr int32_t kMaxAlign = 32;

struct AddParams {
  int32_t align = 0;  ///< -kMaxAlign..kMaxAlign
  Requant rq;         ///< the aligned sum to the output (relu: a fused ReLU)
};

/// out[i] = requantize((a[i] << max(-align, 0)) + (b[i] << max(align, 0))) for `count` values.
void add(const AddParams &p, size_t count, const int16_t *a, const int16_t *b, int16_t *out);

}  // namespace zaccel::kernels
