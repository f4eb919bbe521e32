// Float nodes that move values without computing on them: Reshape (and Flatten, Squeeze,
// Unsqueeze, imported as one), Concat and a constant Pad.
#include <cerrno>

#include "model/float_ops.h"
#include "util/error.h"

namespace zaccel::float_ops {

Tensor reshape(const Node &l, const TensorView &x) {
  std::vector<int64_t> shape = l.shape;
  int64_t known = 1;
  int infer = -1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 0) {
      if (i >= x.rank()) fail(EINVAL, l.where(), ": no dimension ", i, " to copy");
      shape[i] = x.shape[i];
    }
    if (shape[i] == -1)
      infer = static_cast<int>(i);
    else
      known *= shape[i];
  }
  const auto total = static_cast<int64_t>(x.size());
  if (infer >= 0 && known > 0 && total % known == 0)
    shape[static_cast<size_t>(infer)] = total / known;
  if (TensorView::elements(shape) != x.size() || (infer >= 0 && known == 0))
    fail(EINVAL, l.where(), ": ", x.size(), " elements do not fit the target shape");
  return {shape, std::vector<float>(x.data, x.data + x.size())};
}

Tensor concat(const Node &l, std::span<const TensorView> in) {
  const TensorView &first = in[0];
  const auto axis = static_cast<size_t>(l.axis);
  if (axis >= first.rank())
    fail(EINVAL, l.where(), ": axis ", axis, " of a ", first.rank(), "-D input");
  std::vector<int64_t> shape(first.shape.begin(), first.shape.end());
  shape[axis] = 0;
  for (const TensorView &t : in) {
    if (t.rank() != first.rank()) fail(EINVAL, l.where(), ": inputs of different ranks");
    for (size_t d = 0; d < t.rank(); ++d)
      if (d != axis && t.shape[d] != first.shape[d])
        fail(EINVAL, l.where(), ": inputs differ in dimension ", d);
    shape[axis] += t.shape[axis];
  }
  // Each input is `outer` blocks of shape[axis..] slices laid side by side.
  const size_t outer = TensorView::elements(first.shape.first(axis));
  const size_t inner = TensorView::elements(first.shape.subspan(axis + 1));
  Tensor out{shape, {}};
  out.data.reserve(TensorView::elements(shape));
  for (size_t o = 0; o < outer; ++o) {
    for (const TensorView &t : in) {
      const size_t block = static_cast<size_t>(t.shape[axis]) * inner;
      out.data.insert(out.data.end(), t.data + o * block, t.data + (o + 1) * block);
    }
  }
  return out;
}

Tensor pad(const Node &l, const TensorView &x) {
  const size_t rank = x.rank();
  if (l.shape.size() != 2 * rank)
    fail(EINVAL, l.where(), ": pads for ", l.shape.size() / 2, " dimensions, input has ", rank);
  std::vector<int64_t> shape(rank);
  for (size_t d = 0; d < rank; ++d)
    shape[d] = x.shape[d] + l.shape[d] + l.shape[rank + d];
  Tensor out{shape, std::vector<float>(TensorView::elements(shape), l.pad_value)};
  if (x.size() == 0) return out;
  if (rank == 0) return {shape, {x.data[0]}};
  // Copies each innermost row of the input to its place in the output.
  const auto row = static_cast<size_t>(x.shape[rank - 1]);
  std::vector<int64_t> idx(rank, 0);
  for (size_t i = 0; i < x.size(); i += row) {
    size_t at = 0;
    for (size_t d = 0; d < rank; ++d)
      at = at * static_cast<size_t>(shape[d]) + static_cast<size_t>(idx[d] + l.shape[d]);
    std::copy(x.data + i, x.data + i + row, out.data.begin() + static_cast<std::ptrdiff_t>(at));
    for (size_t d = rank - 1; d-- > 0;) {
      if (++idx[d] < x.shape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

}  // namespace zaccel::float_ops
