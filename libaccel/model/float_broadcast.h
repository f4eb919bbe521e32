// Numpy broadcasting for the float path's element-wise nodes (Add, PRelu, Gemm's C).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "model/graph.h"

namespace zaccel::float_ops {

/// The shape `a` and `b` broadcast to, or Error (EINVAL) naming `l`.
std::vector<int64_t> broadcast_shape(const Node &l, std::span<const int64_t> a,
                                     std::span<const int64_t> b);

/// Strides of `in` read as a shape of out.size() dimensions (aligned on the right), with 0
/// where `in` broadcasts.
std::vector<size_t> broadcast_strides(std::span<const int64_t> out, std::span<const int64_t> in);

/// Calls f(i, ia, ib) for each element i of `out` (row-major) with the offsets in `a` and `b`
/// that broadcast to it.
template <typename F>
void broadcast_each(std::span<const int64_t> out, std::span<const int64_t> a,
                    std::span<const int64_t> b, F &&f) {
  const std::vector<size_t> sa = broadcast_strides(out, a), sb = broadcast_strides(out, b);
  const size_t rank = out.size();
  size_t total = 1;
  for (int64_t d : out)
    total *= static_cast<size_t>(d);
  if (total == 0) return;
  if (rank == 0) {
    f(size_t{0}, size_t{0}, size_t{0});
    return;
  }
  // The innermost dimension runs in a tight loop; an odometer steps the others.
  const size_t inner = static_cast<size_t>(out[rank - 1]);
  const size_t ia_step = sa[rank - 1], ib_step = sb[rank - 1];
  std::vector<int64_t> idx(rank, 0);
  size_t ia = 0, ib = 0;
  for (size_t i = 0; i < total; i += inner) {
    for (size_t k = 0; k < inner; ++k)
      f(i + k, ia + k * ia_step, ib + k * ib_step);
    for (size_t d = rank - 1; d-- > 0;) {
      ia += sa[d];
      ib += sb[d];
      if (++idx[d] < out[d]) break;
      ia -= sa[d] * static_cast<size_t>(out[d]);
      ib -= sb[d] * static_cast<size_t>(out[d]);
      idx[d] = 0;
    }
  }
}

}  // namespace zaccel::float_ops
