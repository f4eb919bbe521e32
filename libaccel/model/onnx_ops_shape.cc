// ONNX import: Flatten, Reshape, Squeeze and Unsqueeze, each a reshape to the static shape
// inference gives. Where the batch stays in dimension 0 with each image's elements, the target
// leaves dimension 0 to the run (-1), so any batch runs.
#include <cerrno>

#include "model/onnx_attrs.h"
#include "model/onnx_ops.h"
#include "util/error.h"

namespace zaccel {
namespace {

size_t per_image(const std::vector<int64_t> &s) {
  size_t n = 1;
  for (size_t k = 1; k < s.size(); ++k)
    n *= static_cast<size_t>(s[k]);
  return n;
}

void reshape_to(ImportCtx &c, const OnnxNode &on) {
  const std::vector<int64_t> in = c.in_shape(on, 0), out = c.out_shape(on, 0);
  std::vector<int64_t> target = out;
  const bool keeps_batch =
      !in.empty() && !out.empty() && in[0] == out[0] && per_image(in) == per_image(out);
  if (!target.empty() && (target[0] == kBatch || keeps_batch)) target[0] = -1;
  Node &l = c.add(LayerKind::kReshape, on, {c.value(on, 0)}, out);
  l.shape = std::move(target);
}

void flatten(ImportCtx &c, const OnnxNode &on) {
  Attrs a(on.n, on.ctx, {"axis"});
  const std::vector<int64_t> in = c.in_shape(on, 0);
  const int64_t axis = a.i("axis", 1), rank = static_cast<int64_t>(in.size());
  if (axis < -rank || axis > rank)
    fail(EINVAL, on.ctx, ": axis ", axis, " of a ", rank, "-D input");
  reshape_to(c, on);
}

void reshape(ImportCtx &c, const OnnxNode &on) {
  Attrs a(on.n, on.ctx, {"allowzero"});
  const Const &target = c.need_const(on, 1);
  if (target.is_float) fail(EINVAL, on.ctx, ": the target shape must be integers");
  if (a.i("allowzero", 0) != 0)
    for (int64_t d : target.i)
      if (d == 0) fail(EOPNOTSUPP, on.ctx, ": allowzero with a zero dimension is not supported");
  reshape_to(c, on);
}

// Squeeze and Unsqueeze: axes in an attribute before opset 13, in a constant input from 13.
void squeeze(ImportCtx &c, const OnnxNode &on) {
  Attrs a(on.n, on.ctx, {"axes"});
  if (on.n.input_size() > 1 && !on.n.input(1).empty()) c.need_const(on, 1);
  reshape_to(c, on);
}

}  // namespace

void add_shape_translators(TranslatorMap &m) {
  m["Flatten"] = flatten;
  m["Reshape"] = reshape;
  m["Squeeze"] = squeeze;
  m["Unsqueeze"] = squeeze;
}

}  // namespace zaccel
