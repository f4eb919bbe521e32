#include "model/fixed_exec.h"

#include <algorithm>
#include <cerrno>

#include "util/error.h"

namespace zaccel {

std::vector<int16_t> run_fixed_layer(const QLayer &l, size_t n, const int16_t *in,
                                     const int16_t *in2) {
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
    case LayerKind::kAdd:
      if (!in2) fail(EINVAL, "layer ", l.name, ": an Add without its second operand");
      kernels::add(l.add, out.size(), in, in2, out.data());
      break;
    default:
      fail(EOPNOTSUPP, "layer ", l.name, ": the fixed-point path has no ", layer_kind_name(l.kind),
           " layer");
  }
  return out;
}

std::vector<int16_t> run_fixed(const QModel &q, size_t n, const int16_t *input) {
  // Per tensor, freed after its last reader.
  const size_t layers = q.layers.size();
  const auto sources = [&](size_t i) {
    return q.layers[i].src.empty() ? std::vector<uint32_t>{static_cast<uint32_t>(i)}
                                   : q.layers[i].src;
  };
  std::vector<size_t> last_read(layers + 1, 0);
  for (size_t i = 0; i < layers; ++i)
    for (uint32_t t : sources(i)) {
      if (t > i) fail(EINVAL, "layer ", q.layers[i].name, " reads a later layer's output");
      last_read[t] = i;
    }
  std::vector<std::vector<int16_t>> t(layers + 1);
  t[0].assign(input, input + n * q.input.size());
  for (size_t i = 0; i < layers; ++i) {
    const QLayer &l = q.layers[i];
    const std::vector<uint32_t> src = sources(i);
    if (l.kind == LayerKind::kConcat) {
      // Image by image, the operands' values one after the other.
      for (size_t img = 0; img < n; ++img) {
        for (uint32_t s : src) {
          const size_t per = t[s].size() / n;
          t[i + 1].insert(t[i + 1].end(), t[s].begin() + img * per, t[s].begin() + (img + 1) * per);
        }
      }
    } else {
      const bool add = l.kind == LayerKind::kAdd;
      if (add && src.size() != 2) fail(EINVAL, "layer ", l.name, ": an Add of ", src.size());
      t[i + 1] = run_fixed_layer(l, n, t[src[0]].data(), add ? t[src[1]].data() : nullptr);
    }
    for (uint32_t s : src)
      if (last_read[s] == i) std::vector<int16_t>().swap(t[s]);
  }
  return std::move(t.back());
}

}  // namespace zaccel
