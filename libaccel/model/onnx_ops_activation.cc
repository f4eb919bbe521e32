// ONNX import: the element-wise activations (Relu, LeakyRelu, Clip, PRelu, Sigmoid, Tanh,
// HardSigmoid, HardSwish) and Softmax and LogSoftmax.
#include <cerrno>
#include <cmath>
#include <limits>

#include "model/onnx_attrs.h"
#include "model/onnx_ops.h"
#include "util/error.h"

namespace zaccel {
namespace {

const std::map<std::string, LayerKind> &kinds() {
  static const std::map<std::string, LayerKind> k = {{"Relu", LayerKind::kRelu},
                                                     {"LeakyRelu", LayerKind::kLeakyRelu},
                                                     {"Sigmoid", LayerKind::kSigmoid},
                                                     {"Tanh", LayerKind::kTanh},
                                                     {"HardSigmoid", LayerKind::kHardSigmoid},
                                                     {"HardSwish", LayerKind::kHardSwish},
                                                     {"Clip", LayerKind::kClip},
                                                     {"Softmax", LayerKind::kSoftmax},
                                                     {"LogSoftmax", LayerKind::kLogSoftmax}};
  return k;
}

Node &same_shape(ImportCtx &c, const OnnxNode &on, std::vector<ValueId> ins) {
  return c.add(kinds().at(on.n.op_type()), on, std::move(ins), c.in_shape(on, 0));
}

void plain(ImportCtx &c, const OnnxNode &on) {
  Attrs a(on.n, on.ctx, {});
  same_shape(c, on, {c.value(on, 0)});
}

void leaky_relu(ImportCtx &c, const OnnxNode &on) {
  Attrs a(on.n, on.ctx, {"alpha"});
  same_shape(c, on, {c.value(on, 0)}).alpha = a.f("alpha", 0.01f);
}

void hard_sigmoid(ImportCtx &c, const OnnxNode &on) {
  Attrs a(on.n, on.ctx, {"alpha", "beta"});
  Node &l = same_shape(c, on, {c.value(on, 0)});
  l.alpha = a.f("alpha", 0.2f);
  l.beta = a.f("beta", 0.5f);
}

// Clip's bounds: attributes before opset 11, optional constant scalar inputs from 11.
void clip(ImportCtx &c, const OnnxNode &on) {
  Attrs a(on.n, on.ctx, {"min", "max"});
  float lo = -std::numeric_limits<float>::infinity(), hi = std::numeric_limits<float>::infinity();
  if (on.opset < 11) {
    lo = a.f("min", lo);
    hi = a.f("max", hi);
  } else {
    for (int i : {1, 2}) {
      if (on.n.input_size() <= i || on.n.input(i).empty()) continue;
      const Const &b = c.need_const(on, i);
      if (!b.is_float || b.f.size() != 1 || std::isnan(b.f[0]))
        fail(EINVAL, on.ctx, ": bound '", on.n.input(i), "' must be a float scalar");
      (i == 1 ? lo : hi) = b.f[0];
    }
  }
  Node &l = same_shape(c, on, {c.value(on, 0)});
  l.alpha = lo;
  l.beta = hi;
}

void prelu(ImportCtx &c, const OnnxNode &on) {
  Attrs a(on.n, on.ctx, {});
  const std::vector<int64_t> x = c.in_shape(on, 0), slope = c.in_shape(on, 1);
  // The slope broadcasts to the input, never the other way.
  bool fits = slope.size() <= x.size();
  for (size_t k = 0; fits && k < slope.size(); ++k) {
    const int64_t s = slope[slope.size() - 1 - k], d = x[x.size() - 1 - k];
    fits = s == 1 || s == d;
  }
  if (!fits) fail(EINVAL, on.ctx, ": the slope does not broadcast to the input");
  c.add(LayerKind::kPRelu, on, {c.value(on, 0), c.value(on, 1)}, x);
}

// Softmax and LogSoftmax: from opset 13 along one axis (default -1); before, over the input
// coerced to 2-D at the axis (default 1).
void softmax(ImportCtx &c, const OnnxNode &on) {
  Attrs a(on.n, on.ctx, {"axis"});
  const std::vector<int64_t> x = c.in_shape(on, 0);
  const bool coerce = on.opset < 13;
  const int64_t axis =
      normalize_axis(a.i("axis", coerce ? 1 : -1), std::max<size_t>(x.size(), 1), on.ctx);
  Node &l = same_shape(c, on, {c.value(on, 0)});
  l.axis = axis;
  l.coerce_2d = coerce;
}

}  // namespace

void add_activation_translators(TranslatorMap &m) {
  for (const char *op : {"Relu", "Sigmoid", "Tanh", "HardSwish"})
    m[op] = plain;
  m["LeakyRelu"] = leaky_relu;
  m["HardSigmoid"] = hard_sigmoid;
  m["Clip"] = clip;
  m["PRelu"] = prelu;
  m["Softmax"] = softmax;
  m["LogSoftmax"] = softmax;
}

}  // namespace zaccel
