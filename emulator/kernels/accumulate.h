// Accumulator width selection shared by the MAC kernels. The fabric accumulates in 48 bits; on
// the host, a 32-bit accumulator is used where a bound proves it cannot overflow, which gives
// the same integers faster.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>

namespace zaccel::kernels {

/// Largest |v| over `count` values.
inline int64_t max_abs(const int16_t *v, size_t count) {
  int32_t m = 0;
  for (size_t i = 0; i < count; ++i) m = std::max(m, std::abs(int32_t{v[i]}));
  return m;
}

/// True if bias[r] + sum_k w[r][k] * x[k] fits int32 for every row r and every x with
/// |x| <= x_max.
inline bool fits_int32(const int16_t *w, const int64_t *bias, size_t rows, size_t k,
                       int64_t x_max) {
  for (size_t r = 0; r < rows; ++r) {
    int64_t l1 = 0;
    for (size_t i = 0; i < k; ++i) l1 += std::abs(int64_t{w[r * k + i]});
    const int64_t b = bias ? std::abs(bias[r]) : 0;
    if (l1 * x_max + b > std::numeric_limits<int32_t>::max()) return false;
  }
  return true;
}

}  // namespace zaccel::kernels
