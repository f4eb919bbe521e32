// Bit-exact pooling and ReLU IP kernels. Pooling keeps the input's fixed-point format.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/shape.h"

namespace zaccel::kernels {

enum class PoolKind { kMax, kAverage };

struct PoolParams {
  Dims in;
  Window win;
  PoolKind kind = PoolKind::kMax;
  /// Average pooling: divide by the whole window (true) or by its non-padding part (false).
  bool count_include_pad = false;
};

inline Dims pool_output(const PoolParams &p) {
  return window_output(p.in, p.win, p.in.c);
}

/// Pools `n` images. Max ignores padding; average rounds half up. A window made only of
/// padding yields 0.
void pool(const PoolParams &p, size_t n, const int16_t *in, int16_t *out);

/// Clamps `count` values at zero, in place.
void relu(size_t count, int16_t *data);

}  // namespace zaccel::kernels
