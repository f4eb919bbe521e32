// ONNX import: Gemm, MatMul, Add, Mul and Concat. A Gemm or MatMul on a 2-D input with constant
// weights is a fully connected layer (an IP's work); any other is a general node of the float
// path.
#include <cerrno>

#include "model/onnx_attrs.h"
#include "model/onnx_ops.h"
#include "util/error.h"

namespace zaccel {
namespace {

// Weights of a fully connected layer, [out][in], from B laid out [out][in] (in_major false)
// or [in][out] (in_major true).
std::vector<float> fc_weights(const Const &w, bool in_major) {
  if (!in_major) return w.f;
  const auto k = static_cast<size_t>(w.dims[0]), nout = static_cast<size_t>(w.dims[1]);
  std::vector<float> t(w.f.size());
  for (size_t i = 0; i < k; ++i)
    for (size_t o = 0; o < nout; ++o)
      t[o * k + i] = w.f[i * nout + o];
  return t;
}

// A bias that broadcasts along the outputs only: a scalar, [1], [nout] or [1, nout].
bool per_output(const Const &b, int64_t nout) {
  const auto &d = b.dims;
  return b.f.size() == 1
             ? d.size() <= 2
             : ((d.size() == 1 && d[0] == nout) || (d.size() == 2 && d[0] == 1 && d[1] == nout));
}

std::vector<int64_t> need_2d_input(ImportCtx &c, const OnnxNode &on) {
  const std::vector<int64_t> s = c.in_shape(on, 0);
  if (s.size() != 2) fail(EINVAL, on.ctx, ": expects a 2-D input, got ", s.size(), "-D");
  return s;
}

void check_fan_in(const OnnxNode &on, int64_t k, int64_t got) {
  if (k != got) fail(EINVAL, on.ctx, ": weights expect ", k, " inputs, previous layer gives ", got);
}

void gemm(ImportCtx &c, const OnnxNode &on) {
  Attrs a(on.n, on.ctx, {"alpha", "beta", "transA", "transB", "broadcast"});
  const std::vector<int64_t> in = need_2d_input(c, on);
  const bool trans_a = a.i("transA", 0) != 0, trans_b = a.i("transB", 0) != 0;
  const float alpha = a.f("alpha", 1.0f), beta = a.f("beta", 1.0f);
  const Const *w = c.constant(on, 1);
  const Const *b = on.n.input_size() > 2 ? c.constant(on, 2) : nullptr;
  const bool has_c = on.n.input_size() > 2 && !on.n.input(2).empty();
  const bool fc = !trans_a && w && w->is_float && w->dims.size() == 2 && (!has_c || b) &&
                  (!b || (b->is_float && per_output(*b, trans_b ? w->dims[0] : w->dims[1])));
  if (!fc) {
    std::vector<ValueId> ins = {c.value(on, 0), c.value(on, 1)};
    if (has_c) ins.push_back(c.value(on, 2));
    Node &l = c.add(LayerKind::kGemm, on, ins, c.out_shape(on, 0));
    l.alpha = alpha;
    l.beta = beta;
    l.trans_a = trans_a;
    l.trans_b = trans_b;
    return;
  }
  c.weights(on, 1);
  const int64_t k = trans_b ? w->dims[1] : w->dims[0];
  const uint32_t nout = to_u32(trans_b ? w->dims[0] : w->dims[1], on.ctx, "outputs");
  check_fan_in(on, k, in[1]);
  Node &l = c.add(LayerKind::kFc, on, {c.value(on, 0)}, {in[0], nout});
  l.weights = fc_weights(*w, !trans_b);
  for (float &v : l.weights)
    v *= alpha;
  need_finite(l.weights, on.n.input(1), on.ctx, " times alpha");
  if (b) {
    c.weights(on, 2);
    l.bias = b->f.size() == 1 ? std::vector<float>(nout, b->f[0]) : b->f;
    for (float &v : l.bias)
      v *= beta;
    need_finite(l.bias, on.n.input(2), on.ctx, " times beta");
  }
}

void matmul(ImportCtx &c, const OnnxNode &on) {
  Attrs a(on.n, on.ctx, {});
  const std::vector<int64_t> in = c.in_shape(on, 0);
  const Const *w = c.constant(on, 1);
  if (in.size() != 2 || !w || !w->is_float || w->dims.size() != 2) {
    c.add(LayerKind::kMatMul, on, {c.value(on, 0), c.value(on, 1)}, c.out_shape(on, 0));
    return;
  }
  c.weights(on, 1);
  check_fan_in(on, w->dims[0], in[1]);
  Node &l =
      c.add(LayerKind::kFc, on, {c.value(on, 0)}, {in[0], to_u32(w->dims[1], on.ctx, "outputs")});
  l.weights = fc_weights(*w, true);
}

// Add and Mul: two values, broadcast.
void binary(ImportCtx &c, const OnnxNode &on) {
  Attrs a(on.n, on.ctx, {});
  if (on.n.input_size() != 2) fail(EINVAL, on.ctx, ": expects two inputs");
  c.add(on.n.op_type() == "Mul" ? LayerKind::kMul : LayerKind::kAdd, on,
        {c.value(on, 0), c.value(on, 1)}, c.out_shape(on, 0));
}

void concat(ImportCtx &c, const OnnxNode &on) {
  Attrs a(on.n, on.ctx, {"axis"});
  if (!a.has("axis")) fail(EINVAL, on.ctx, ": no axis");
  const std::vector<int64_t> shape = c.out_shape(on, 0);
  std::vector<ValueId> ins;
  for (int i = 0; i < on.n.input_size(); ++i)
    ins.push_back(c.value(on, i));
  if (ins.empty()) fail(EINVAL, on.ctx, ": no inputs");
  const int64_t axis = normalize_axis(a.i("axis", 0), shape.size(), on.ctx);
  Node &l = c.add(LayerKind::kConcat, on, ins, shape);
  l.axis = axis;
}

}  // namespace

void add_dense_translators(TranslatorMap &m) {
  m["Gemm"] = gemm;
  m["MatMul"] = matmul;
  m["Add"] = binary;
  m["Mul"] = binary;
  m["Concat"] = concat;
}

}  // namespace zaccel
