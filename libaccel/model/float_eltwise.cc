// Float element-wise nodes: the activations, a per-channel scale and shift, PRelu and Add,
// and numpy broadcasting for them.
#include <algorithm>
#include <cerrno>
#include <cmath>

#include "model/float_broadcast.h"
#include "model/float_ops.h"
#include "util/error.h"

namespace zaccel::float_ops {
namespace {

template <typename F>
Tensor map(const TensorView &x, F &&f) {
  Tensor out{{x.shape.begin(), x.shape.end()}, std::vector<float>(x.size())};
  for (size_t i = 0; i < out.data.size(); ++i)
    out.data[i] = f(x.data[i]);
  return out;
}

}  // namespace

std::vector<int64_t> broadcast_shape(const Node &l, std::span<const int64_t> a,
                                     std::span<const int64_t> b) {
  const size_t rank = std::max(a.size(), b.size());
  std::vector<int64_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    const int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    const int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1)
      fail(EINVAL, l.where(), ": dimensions ", da, " and ", db, " do not broadcast");
    out[i] = da == 1 ? db : da;
  }
  return out;
}

std::vector<size_t> broadcast_strides(std::span<const int64_t> out, std::span<const int64_t> in) {
  std::vector<size_t> s(out.size(), 0);
  size_t stride = 1;
  for (size_t i = in.size(); i-- > 0;) {
    const size_t o = out.size() - in.size() + i;
    s[o] = in[i] == 1 ? 0 : stride;
    stride *= static_cast<size_t>(in[i]);
  }
  return s;
}

Tensor activation(const Node &l, const TensorView &x) {
  switch (l.kind) {
    case LayerKind::kRelu:
      return map(x, [](float v) { return std::max(v, 0.0f); });
    case LayerKind::kLeakyRelu:
      return map(x, [a = l.alpha](float v) { return v < 0 ? a * v : v; });
    case LayerKind::kClip:
      return map(x, [lo = l.alpha, hi = l.beta](float v) { return std::min(std::max(v, lo), hi); });
    case LayerKind::kSigmoid:
      return map(x, [](float v) { return 1.0f / (1.0f + std::exp(-v)); });
    case LayerKind::kTanh:
      return map(x, [](float v) { return std::tanh(v); });
    case LayerKind::kHardSigmoid:
      return map(x, [a = l.alpha, b = l.beta](float v) {
        return std::max(0.0f, std::min(1.0f, a * v + b));
      });
    case LayerKind::kHardSwish:
      return map(x, [](float v) { return v * std::max(0.0f, std::min(1.0f, v / 6.0f + 0.5f)); });
    default:
      fail(EINVAL, l.where(), ": not an activation");
  }
}

Tensor prelu(const Node &l, const TensorView &x, const TensorView &slope) {
  if (broadcast_shape(l, x.shape, slope.shape) !=
      std::vector<int64_t>(x.shape.begin(), x.shape.end()))
    fail(EINVAL, l.where(), ": slope does not broadcast to the input");
  Tensor out{{x.shape.begin(), x.shape.end()}, std::vector<float>(x.size())};
  broadcast_each(x.shape, x.shape, slope.shape, [&](size_t i, size_t, size_t is) {
    const float v = x.data[i];
    out.data[i] = v < 0 ? slope.data[is] * v : v;
  });
  return out;
}

Tensor scale_shift(const Node &l, const TensorView &x) {
  if (x.rank() < 2 || static_cast<size_t>(x.shape[1]) != l.weights.size())
    fail(EINVAL, l.where(), ": input does not have ", l.weights.size(), " channels");
  const size_t c = l.weights.size(), inner = TensorView::elements(x.shape.subspan(2));
  Tensor out{{x.shape.begin(), x.shape.end()}, std::vector<float>(x.size())};
  for (size_t i = 0; i < out.data.size(); ++i) {
    const size_t ch = i / inner % c;
    out.data[i] = x.data[i] * l.weights[ch] + l.bias[ch];
  }
  return out;
}

namespace {

template <typename Op>
Tensor binary(const Node &l, const TensorView &a, const TensorView &b, Op op) {
  Tensor out{broadcast_shape(l, a.shape, b.shape), {}};
  out.data.resize(TensorView::elements(out.shape));
  broadcast_each(out.shape, a.shape, b.shape,
                 [&](size_t i, size_t ia, size_t ib) { out.data[i] = op(a.data[ia], b.data[ib]); });
  return out;
}

}  // namespace

Tensor add(const Node &l, const TensorView &a, const TensorView &b) {
  return binary(l, a, b, [](float x, float y) { return x + y; });
}

Tensor mul(const Node &l, const TensorView &a, const TensorView &b) {
  return binary(l, a, b, [](float x, float y) { return x * y; });
}

}  // namespace zaccel::float_ops
