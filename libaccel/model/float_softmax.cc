// Float Softmax and LogSoftmax along one axis (opset 13), or, coerced to 2-D (opsets before
// 13), over all the dimensions from the axis on. The maximum is subtracted first, so large
// inputs do not overflow.
#include <algorithm>
#include <cerrno>
#include <cmath>

#include "model/float_ops.h"
#include "util/error.h"

namespace zaccel::float_ops {

Tensor softmax(const Node &l, const TensorView &x) {
  const auto axis = static_cast<size_t>(l.axis);
  if (axis >= std::max<size_t>(x.rank(), 1))
    fail(EINVAL, l.where(), ": axis ", axis, " of a ", x.rank(), "-D input");
  // The softmax runs over `len` elements `inner` apart, in `outer` x `inner` groups.
  const size_t outer = TensorView::elements(x.shape.first(axis));
  size_t len = x.rank() ? static_cast<size_t>(x.shape[axis]) : 1;
  size_t inner = x.rank() ? TensorView::elements(x.shape.subspan(axis + 1)) : 1;
  if (l.coerce_2d) {
    len *= inner;
    inner = 1;
  }
  const bool log = l.kind == LayerKind::kLogSoftmax;
  Tensor out{{x.shape.begin(), x.shape.end()}, std::vector<float>(x.size())};
  for (size_t o = 0; o < outer; ++o) {
    for (size_t i = 0; i < inner; ++i) {
      const float *src = x.data + o * len * inner + i;
      float *dst = out.data.data() + o * len * inner + i;
      float top = -INFINITY;
      for (size_t k = 0; k < len; ++k)
        top = std::max(top, src[k * inner]);
      double sum = 0;
      for (size_t k = 0; k < len; ++k)
        sum += std::exp(double{src[k * inner]} - top);
      for (size_t k = 0; k < len; ++k) {
        const double v = double{src[k * inner]} - top;
        dst[k * inner] = static_cast<float>(log ? v - std::log(sum) : std::exp(v) / sum);
      }
    }
  }
  return out;
}

}  // namespace zaccel::float_ops
