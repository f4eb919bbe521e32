// Float fully connected layers (constant weights), and Gemm and MatMul over values.
#include <algorithm>
#include <cerrno>

#include "model/float_broadcast.h"
#include "model/float_ops.h"
#include "util/error.h"

namespace zaccel::float_ops {

Tensor fc(const Node &l, const TensorView &x) {
  const size_t k = l.in.size();
  if (x.rank() < 1 || x.size() != static_cast<size_t>(x.shape[0]) * k)
    fail(EINVAL, l.where(), ": input does not hold ", k, " features per image");
  const size_t n = static_cast<size_t>(x.shape[0]);
  Tensor out{{x.shape[0], l.out.c}, {}};
  out.data.resize(n * l.out.c);
  for (size_t i = 0; i < n; ++i) {
    for (uint32_t o = 0; o < l.out.c; ++o) {
      const float *w = l.weights.data() + o * k;
      float acc = 0.0f;
      for (size_t j = 0; j < k; ++j)
        acc += w[j] * x.data[i * k + j];
      out.data[i * l.out.c + o] = acc + (l.bias.empty() ? 0.0f : l.bias[o]);
    }
  }
  if (l.relu) {
    for (float &v : out.data)
      v = std::max(v, 0.0f);
  }
  return out;
}

Tensor gemm(const Node &l, std::span<const TensorView> in) {
  const TensorView &a = in[0], &b = in[1];
  if (a.rank() != 2 || b.rank() != 2) fail(EINVAL, l.where(), ": A and B must be 2-D");
  const int64_t m = l.trans_a ? a.shape[1] : a.shape[0], k = l.trans_a ? a.shape[0] : a.shape[1];
  const int64_t kb = l.trans_b ? b.shape[1] : b.shape[0], nn = l.trans_b ? b.shape[0] : b.shape[1];
  if (k != kb) fail(EINVAL, l.where(), ": A has ", k, " columns, B ", kb, " rows");
  Tensor out{{m, nn}, std::vector<float>(static_cast<size_t>(m * nn))};
  const auto at = [&](int64_t r, int64_t c) {
    return l.trans_a ? a.data[c * a.shape[1] + r] : a.data[r * a.shape[1] + c];
  };
  const auto bt = [&](int64_t r, int64_t c) {
    return l.trans_b ? b.data[c * b.shape[1] + r] : b.data[r * b.shape[1] + c];
  };
  for (int64_t r = 0; r < m; ++r) {
    for (int64_t c = 0; c < nn; ++c) {
      float acc = 0.0f;
      for (int64_t j = 0; j < k; ++j)
        acc += at(r, j) * bt(j, c);
      out.data[static_cast<size_t>(r * nn + c)] = l.alpha * acc;
    }
  }
  if (in.size() > 2 && in[2].data) {
    const TensorView &c = in[2];
    if (broadcast_shape(l, out.shape, c.shape) != out.shape)
      fail(EINVAL, l.where(), ": C does not broadcast to the ", m, "x", nn, " result");
    broadcast_each(out.shape, out.shape, c.shape,
                   [&](size_t i, size_t, size_t ic) { out.data[i] += l.beta * c.data[ic]; });
  }
  return out;
}

// Numpy matmul: the last two dimensions multiply, the others broadcast; a 1-D operand is a
// row (a) or a column (b) and its dimension leaves the result.
Tensor matmul(const Node &l, const TensorView &a, const TensorView &b) {
  if (a.rank() < 1 || b.rank() < 1) fail(EINVAL, l.where(), ": operands must be at least 1-D");
  std::vector<int64_t> as(a.shape.begin(), a.shape.end()), bs(b.shape.begin(), b.shape.end());
  if (a.rank() == 1) as.insert(as.begin(), 1);
  if (b.rank() == 1) bs.push_back(1);
  const int64_t m = as[as.size() - 2], k = as.back(), nn = bs.back();
  if (bs[bs.size() - 2] != k)
    fail(EINVAL, l.where(), ": inner dimensions ", k, " and ", bs[bs.size() - 2]);
  const std::span<const int64_t> abatch(as.data(), as.size() - 2), bbatch(bs.data(), bs.size() - 2);
  std::vector<int64_t> shape = broadcast_shape(l, abatch, bbatch);
  const size_t batches = TensorView::elements(shape);
  shape.push_back(m);
  shape.push_back(nn);
  Tensor out{shape, std::vector<float>(batches * static_cast<size_t>(m * nn))};
  const std::span<const int64_t> obatch(shape.data(), shape.size() - 2);
  const size_t asz = static_cast<size_t>(m * k), bsz = static_cast<size_t>(k * nn);
  broadcast_each(obatch, abatch, bbatch, [&](size_t i, size_t ia, size_t ib) {
    const float *pa = a.data + ia * asz, *pb = b.data + ib * bsz;
    float *po = out.data.data() + i * static_cast<size_t>(m * nn);
    for (int64_t r = 0; r < m; ++r)
      for (int64_t c = 0; c < nn; ++c) {
        float acc = 0.0f;
        for (int64_t j = 0; j < k; ++j)
          acc += pa[r * k + j] * pb[j * nn + c];
        po[r * nn + c] = acc;
      }
  });
  if (a.rank() == 1) out.shape.erase(out.shape.end() - 2);
  if (b.rank() == 1) out.shape.pop_back();
  return out;
}

}  // namespace zaccel::float_ops
