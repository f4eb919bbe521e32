// Accumulation shared by the MAC kernels. The fabric accumulates in 48 bits (the quantizer
// proves that never overflows). On the host, products are summed in 32-bit runs that a bound
// proves cannot overflow, and the runs are added in 64 bits: the same integers, faster.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <vector>

namespace zaccel::kernels {

/// Largest |v| over `count` values.
inline int64_t max_abs(const int16_t *v, size_t count) {
  int32_t m = 0;
  for (size_t i = 0; i < count; ++i)
    m = std::max(m, std::abs(int32_t{v[i]}));
  return m;
}

/// For each of `rows` weight rows of length k, the ends of consecutive runs of products
/// w[r][i] * x[i] whose sum fits int32 whenever |x| <= x_max: row r's runs end at
/// ends[r][0] < ends[r][1] < ... == k.
inline std::vector<std::vector<size_t>> int32_runs(const int16_t *w, size_t rows, size_t k,
                                                   int64_t x_max) {
  const int64_t budget = std::numeric_limits<int32_t>::max() / std::max<int64_t>(x_max, 1);
  std::vector<std::vector<size_t>> ends(rows);
  for (size_t r = 0; r < rows; ++r) {
    int64_t used = 0;
    for (size_t i = 0; i < k; ++i) {
      const int64_t a = std::abs(int64_t{w[r * k + i]});
      if (used + a > budget) {  // budget >= 65535 >= a: a run always takes one product
        ends[r].push_back(i);
        used = 0;
      }
      used += a;
    }
    ends[r].push_back(k);
  }
  return ends;
}

}  // namespace zaccel::kernels
