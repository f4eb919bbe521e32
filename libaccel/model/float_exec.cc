#include "model/float_exec.h"

#include <cerrno>

#include "model/float_ops.h"
#include "util/error.h"

namespace zaccel {
namespace {

Tensor run_node(const Node &l, std::span<const TensorView> in) {
  switch (l.kind) {
    case LayerKind::kConv:
      return float_ops::conv(l, in[0]);
    case LayerKind::kPool:
      return float_ops::pool(l, in[0]);
    case LayerKind::kFc:
      return float_ops::fc(l, in[0]);
    case LayerKind::kRelu:
    case LayerKind::kLeakyRelu:
    case LayerKind::kClip:
    case LayerKind::kSigmoid:
    case LayerKind::kTanh:
    case LayerKind::kHardSigmoid:
    case LayerKind::kHardSwish:
      return float_ops::activation(l, in[0]);
    case LayerKind::kPRelu:
      return float_ops::prelu(l, in[0], in[1]);
    case LayerKind::kScaleShift:
      return float_ops::scale_shift(l, in[0]);
    case LayerKind::kGemm:
      return float_ops::gemm(l, in);
    case LayerKind::kMatMul:
      return float_ops::matmul(l, in[0], in[1]);
    case LayerKind::kAdd:
      return float_ops::add(l, in[0], in[1]);
    case LayerKind::kMul:
      return float_ops::mul(l, in[0], in[1]);
    case LayerKind::kConcat:
      return float_ops::concat(l, in);
    case LayerKind::kReshape:
      return float_ops::reshape(l, in[0]);
    case LayerKind::kPad:
      return float_ops::pad(l, in[0]);
    case LayerKind::kSoftmax:
    case LayerKind::kLogSoftmax:
      return float_ops::softmax(l, in[0]);
    case LayerKind::kQuantize:
      return float_ops::quantize_linear(l, in[0]);
    case LayerKind::kDequantize:
      return float_ops::dequantize_linear(l, in[0]);
  }
  fail(EINVAL, l.where(), ": unknown kind");
}

// How many nodes read each value, and how many times the graph's outputs name it: a value's
// tensor is freed after its last reader unless it is an output.
std::vector<size_t> readers(const Graph &g) {
  std::vector<size_t> r(g.values.size(), 0);
  for (const Node &l : g.nodes)
    for (ValueId v : l.inputs)
      ++r[v];
  for (ValueId v : g.outputs)
    ++r[v];
  return r;
}

}  // namespace

std::vector<Tensor> run_float(const Graph &g, std::vector<Tensor> inputs) {
  if (inputs.size() != g.inputs.size())
    fail(EINVAL, "the graph takes ", g.inputs.size(), " inputs, not ", inputs.size());
  std::vector<Tensor> vals(g.values.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Value &v = g.values[g.inputs[i]];
    const Tensor &t = inputs[i];
    bool fits = t.shape.size() == v.shape.size() && t.data.size() == TensorView::elements(t.shape);
    for (size_t d = 1; fits && d < v.shape.size(); ++d)
      fits = t.shape[d] == v.shape[d];
    if (!fits) fail(EINVAL, "input '", v.name, "': its shape does not fit the graph's");
    vals[g.inputs[i]] = std::move(inputs[i]);
  }
  std::vector<size_t> left = readers(g);
  std::vector<TensorView> in;
  for (const Node &l : g.nodes) {
    in.clear();
    for (ValueId id : l.inputs) {
      const Value &v = g.values[id];
      in.push_back(v.is_const ? TensorView(v.shape, v.data.data()) : TensorView(vals[id]));
    }
    Tensor out = run_node(l, in);
    for (ValueId id : l.inputs)
      if (--left[id] == 0 && !g.values[id].is_const) vals[id] = Tensor{};
    vals[l.outputs[0]] = std::move(out);
  }
  std::vector<Tensor> outs;
  for (ValueId id : g.outputs) {
    const Value &v = g.values[id];
    outs.push_back(v.is_const ? Tensor{v.shape, v.data} : vals[id]);
  }
  return outs;
}

std::vector<float> run_float(const Graph &g, size_t n, const float *input) {
  if (g.inputs.size() != 1) fail(EINVAL, "the graph takes ", g.inputs.size(), " inputs, not 1");
  Tensor t{g.values[g.inputs[0]].shape, {}};
  if (!t.shape.empty()) t.shape[0] = static_cast<int64_t>(n);
  t.data.assign(input, input + TensorView::elements(t.shape));
  std::vector<Tensor> inputs;
  inputs.push_back(std::move(t));
  return std::move(run_float(g, std::move(inputs))[0].data);
}

std::vector<float> run_float_layer(const Node &l, size_t n, const float *in) {
  const auto batch = static_cast<int64_t>(n);
  const std::vector<int64_t> shape =
      l.kind == LayerKind::kFc ? std::vector<int64_t>{batch, int64_t{l.in.c} * l.in.h * l.in.w}
                               : std::vector<int64_t>{batch, l.in.c, l.in.h, l.in.w};
  const TensorView x(shape, in);
  if (l.kind == LayerKind::kPRelu && l.inputs.size() == 1) {  // its slopes per channel: weights
    const std::vector<int64_t> per_channel = {1, l.in.c, 1, 1};
    const TensorView xs[2] = {x, TensorView(per_channel, l.weights.data())};
    if (l.weights.size() != l.in.c) fail(EINVAL, l.where(), ": not a slope per channel");
    return std::move(run_node(l, xs).data);
  }
  return std::move(run_node(l, std::span<const TensorView>(&x, 1)).data);
}

}  // namespace zaccel
