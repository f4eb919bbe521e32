#include "model/graph.h"

#include <sstream>

namespace zaccel {

const char *layer_kind_name(LayerKind k) {
  switch (k) {
    case LayerKind::kConv:
      return "conv";
    case LayerKind::kPool:
      return "pool";
    case LayerKind::kFc:
      return "fc";
    case LayerKind::kRelu:
      return "relu";
    case LayerKind::kLeakyRelu:
      return "leakyrelu";
    case LayerKind::kClip:
      return "clip";
    case LayerKind::kPRelu:
      return "prelu";
    case LayerKind::kSigmoid:
      return "sigmoid";
    case LayerKind::kTanh:
      return "tanh";
    case LayerKind::kHardSigmoid:
      return "hardsigmoid";
    case LayerKind::kHardSwish:
      return "hardswish";
    case LayerKind::kScaleShift:
      return "scaleshift";
    case LayerKind::kGemm:
      return "gemm";
    case LayerKind::kMatMul:
      return "matmul";
    case LayerKind::kAdd:
      return "add";
    case LayerKind::kMul:
      return "mul";
    case LayerKind::kConcat:
      return "concat";
    case LayerKind::kReshape:
      return "reshape";
    case LayerKind::kPad:
      return "pad";
    case LayerKind::kSoftmax:
      return "softmax";
    case LayerKind::kLogSoftmax:
      return "logsoftmax";
    case LayerKind::kQuantize:
      return "quantize";
    case LayerKind::kDequantize:
      return "dequantize";
  }
  return "unknown";
}

size_t Value::per_image() const {
  size_t n = 1;
  for (size_t i = 1; i < shape.size(); ++i)
    n *= static_cast<size_t>(shape[i]);
  return n;
}

size_t Node::macs() const {
  if (kind == LayerKind::kConv) return out.size() * (in.c / group) * win.kh * win.kw;
  if (kind == LayerKind::kFc) return in.size() * out.c;
  return 0;
}

std::string Node::where() const {
  std::ostringstream os;
  const std::string &id = node.empty() ? name : node;
  if (!id.empty() && id[0] == '#')
    os << "node " << id;  // an ONNX node without a name: its index
  else
    os << "node '" << id << "'";
  os << " (" << (op.empty() ? layer_kind_name(kind) : op) << ")";
  return os.str();
}

Dims Graph::input() const {
  return inputs.empty() ? Dims{} : dims_of(values[inputs[0]].shape);
}

Dims Graph::output() const {
  return outputs.empty() ? Dims{} : dims_of(values[outputs[0]].shape);
}

const Node *Graph::find(const std::string &name) const {
  for (const Node &n : nodes)
    if (n.name == name) return &n;
  return nullptr;
}

ValueId Graph::add_value(Value v) {
  values.push_back(std::move(v));
  return static_cast<ValueId>(values.size() - 1);
}

Dims dims_of(const std::vector<int64_t> &shape) {
  auto d = [&](size_t i) { return static_cast<uint32_t>(shape[i]); };
  switch (shape.size()) {
    case 2:
      return {d(1), 1, 1};
    case 3:
      return {d(1), d(2), 1};
    case 4:
      return {d(1), d(2), d(3)};
    default: {
      size_t n = 1;
      for (size_t i = 1; i < shape.size(); ++i)
        n *= static_cast<size_t>(shape[i]);
      return {static_cast<uint32_t>(n), 1, 1};
    }
  }
}

Graph make_chain(Dims input, std::vector<Node> layers) {
  Graph g;
  auto spatial = [](const Dims &d) { return std::vector<int64_t>{kBatch, d.c, d.h, d.w}; };
  ValueId cur = g.add_value({"input", spatial(input), false, {}});
  g.inputs = {cur};
  for (Node &l : layers) {
    l.inputs = {cur};
    const std::vector<int64_t> shape =
        l.kind == LayerKind::kFc ? std::vector<int64_t>{kBatch, l.out.c} : spatial(l.out);
    cur = g.add_value({l.name + "_out", shape, false, {}});
    l.outputs = {cur};
    g.nodes.push_back(std::move(l));
  }
  g.outputs = {cur};
  return g;
}

}  // namespace zaccel
