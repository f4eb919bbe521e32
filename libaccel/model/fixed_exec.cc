#include "model/fixed_exec.h"

#include <algorithm>
#include <cerrno>

#include "util/error.h"

namespace zaccel {

std::vector<int16_t> run_fixed_layer(const QLayer &l, size_t n, const int16_t *in) {
  std::vector<int16_t> out(n * l.out.size());
  const int64_t *bias = l.bias.empty() ? nullptr : l.bias.data();
  switch (l.kind) {
    case LayerKind::kConv:
      kernels::conv2d(l.conv, n, in, l.weights.data(), bias, out.data());
      break;
    case LayerKind::kFc:
      kernels::fc(l.fc, n, in, l.weights.data(), bias, out.data());
      break;
    case LayerKind::kPool:
      kernels::pool(l.pool, n, in, out.data());
      break;
    case LayerKind::kRelu:
      std::copy(in, in + out.size(), out.begin());
      kernels::relu(out.size(), out.data());
      break;
    default:
      fail(EOPNOTSUPP, "layer ", l.name, ": the fixed-point path has no ", layer_kind_name(l.kind),
           " layer");
  }
  return out;
}

std::vector<int16_t> run_fixed(const QModel &q, size_t n, const int16_t *input) {
  std::vector<int16_t> cur(input, input + n * q.input.size());
  for (const QLayer &l : q.layers)
    cur = run_fixed_layer(l, n, cur.data());
  return cur;
}

}  // namespace zaccel
