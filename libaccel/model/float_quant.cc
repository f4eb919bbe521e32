// Float QuantizeLinear and DequantizeLinear (model/qdq.h), per tensor or per index of an axis.
#include <cerrno>

#include "model/float_ops.h"
#include "model/qdq.h"
#include "util/error.h"

namespace zaccel::float_ops {
namespace {

// Calls f(i, k) for each element i of `x`, with k its scale's index.
template <typename F>
Tensor per_scale(const Node &l, const TensorView &x, F &&f) {
  const size_t scales = l.weights.size();
  if (scales == 0 || l.bias.size() != scales) fail(EINVAL, l.where(), ": no scale");
  size_t inner = 1;
  if (scales > 1) {
    const auto axis = static_cast<size_t>(l.axis);
    if (axis >= x.rank() || static_cast<size_t>(x.shape[axis]) != scales)
      fail(EINVAL, l.where(), ": ", scales, " scales do not fit the input's axis ", l.axis);
    inner = qdq::inner_size(x.shape, axis);
  }
  Tensor out{{x.shape.begin(), x.shape.end()}, std::vector<float>(x.size())};
  for (size_t i = 0; i < out.data.size(); ++i)
    out.data[i] = f(x.data[i], scales > 1 ? (i / inner) % scales : 0);
  return out;
}

}  // namespace

Tensor quantize_linear(const Node &l, const TensorView &x) {
  return per_scale(l, x, [&](float v, size_t k) {
    return qdq::quantize(v, l.weights[k], l.bias[k], l.alpha, l.beta);
  });
}

Tensor dequantize_linear(const Node &l, const TensorView &x) {
  return per_scale(l, x,
                   [&](float v, size_t k) { return qdq::dequantize(v, l.weights[k], l.bias[k]); });
}

}  // namespace zaccel::float_ops
