// The network as libaccel sees it after import: a directed acyclic graph of nodes over values
// (named tensors). A node takes any number of values and gives any number; a graph has one or
// more inputs and outputs. Shapes are static except dimension 0, the batch.
//
// The nodes that an IP computes (convolution, pooling, fully connected, ReLU) carry their
// per-image geometry and float weights; the quantizer, the planner and the session take a
// graph that is a chain of those (model/chain.h). The float path runs any graph.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kernels/pool.h"
#include "kernels/shape.h"

namespace zaccel {

using kernels::Dims;
using kernels::Window;

/// Dimension 0 of a value whose batch is symbolic.
inline constexpr int64_t kBatch = -1;

enum class LayerKind {
  kConv,  ///< Conv (any group and dilation)
  kPool,  ///< MaxPool, AveragePool, GlobalMaxPool, GlobalAveragePool
  kFc,    ///< Gemm or MatMul on a 2-D input with constant weights
  kRelu,
  kLeakyRelu,    ///< alpha
  kClip,         ///< [alpha, beta]
  kPRelu,        ///< slope: inputs[1]
  kSigmoid,      ///<
  kTanh,         ///<
  kHardSigmoid,  ///< max(0, min(1, alpha * x + beta))
  kHardSwish,    ///< x * max(0, min(1, x / 6 + 1 / 2))
  kScaleShift,   ///< x * weights[c] + bias[c] along axis 1: a BatchNormalization left unfolded
  kGemm,         ///< alpha * A' * B' + beta * C, every operand a value
  kMatMul,       ///< numpy matmul of two values
  kAdd,          ///< two values, broadcast
  kMul,          ///< two values, broadcast (x * HardSigmoid(x) becomes a kHardSwish)
  kConcat,       ///< along axis
  kReshape,      ///< Flatten, Reshape, Squeeze, Unsqueeze: to shape (0 copies, -1 infers)
  kPad,          ///< constant pad: pads (begins, then ends), pad_value
  kSoftmax,      ///< along axis (coerced to 2-D when coerce_2d)
  kLogSoftmax,   ///< as kSoftmax
  kQuantize,     ///< QuantizeLinear: codes in [alpha, beta] (model/qdq.h)
  kDequantize,   ///< DequantizeLinear (model/qdq.h)
};

const char *layer_kind_name(LayerKind k);

using ValueId = uint32_t;

struct Value {
  std::string name;
  std::vector<int64_t> shape;  ///< dimension 0 the batch: kBatch when symbolic
  bool is_const = false;       ///< a constant (initializer): data holds it
  std::vector<float> data;

  /// Elements per image: the product of dimensions 1 and up.
  size_t per_image() const;
};

struct Node {
  LayerKind kind = LayerKind::kRelu;
  std::string name;  ///< stable short name: conv1, pool1, fc1, relu1, add1, ...
  std::string node;  ///< the ONNX node it came from, for messages
  std::string op;    ///< the ONNX operator it came from, for messages
  std::vector<ValueId> inputs, outputs;

  // Per-image geometry of inputs[0] and outputs[0] (see dims_of()); a fully connected layer
  // reads in.size() features.
  Dims in, out;
  // kConv and kPool
  Window win;              ///< taps, stride, dilation, padding
  uint32_t group = 1;      ///< kConv: in.c / group input channels per output channel
  bool ceil_mode = false;  ///< kPool: out rounds up (out already says so)
  kernels::PoolKind pool = kernels::PoolKind::kMax;
  bool count_include_pad = false;  ///< average pool divisor
  bool relu = false;               ///< ReLU fused into conv or fc
  // kConv: [out.c][in.c / group][kh][kw]; kFc: [out.c][in.size()]; kScaleShift: [channels]
  std::vector<float> weights;
  std::vector<float> bias;  ///< [out.c] (kScaleShift: [channels]), or empty

  // The other operators. kQuantize and kDequantize: weights the scales and bias the zero
  // points, one of each, or one per index of dimension `axis`; alpha and beta the codes' range.
  float alpha = 0, beta = 0;
  int64_t axis = 0;  ///< kConcat, kSoftmax, kLogSoftmax: in [0, rank)
  bool coerce_2d = false;
  bool trans_a = false, trans_b = false;  ///< kGemm
  std::vector<int64_t> shape;             ///< kReshape: target; kPad: pads
  float pad_value = 0;

  bool has_weights() const { return kind == LayerKind::kConv || kind == LayerKind::kFc; }
  /// Multiply-accumulates per image.
  size_t macs() const;
  /// "node 'NAME' (OP)": how messages name it.
  std::string where() const;
};

struct Graph {
  std::vector<Value> values;
  std::vector<Node> nodes;  ///< in topological order
  std::vector<ValueId> inputs, outputs;

  /// Per-image dimensions of the first input and the first output.
  Dims input() const;
  Dims output() const;
  /// The node named `name` (short name), or null.
  const Node *find(const std::string &name) const;
  /// Appends a value and returns its id.
  ValueId add_value(Value v);
};

/// Per-image dimensions of a shape: [N, c, h, w] is {c, h, w}, [N, f] is {f, 1, 1}, [N, a, b]
/// is {a, b, 1}; any other rank is {elements, 1, 1}.
Dims dims_of(const std::vector<int64_t> &shape);

/// A chain built in code: `layers` one after the other from an input of per-image dims
/// `input` (shape [N, c, h, w]); each layer's inputs and outputs are filled in. An fc layer
/// gives [N, out.c], the others [N, c, h, w].
Graph make_chain(Dims input, std::vector<Node> layers);

}  // namespace zaccel
