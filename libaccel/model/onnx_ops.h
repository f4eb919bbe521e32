// ONNX import: what the operators' translators share. After checking, folding and shape
// inference, each ONNX node is read by the translator of its operator, which checks its
// inputs and attributes and adds a node to the graph. The translators, a file per family:
// onnx_ops_conv.cc (Conv, pooling, BatchNormalization, Pad), onnx_ops_dense.cc (Gemm,
// MatMul, Add, Mul, Concat), onnx_ops_shape.cc (Flatten, Reshape, Squeeze, Unsqueeze),
// onnx_ops_activation.cc (the activations, Softmax, LogSoftmax) and onnx_ops_quant.cc
// (QuantizeLinear, DequantizeLinear).
#pragma once

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "model/graph.h"
#include "model/onnx_shapes.h"
#include "model/onnx_tensor.h"

namespace zaccel {

/// The ONNX node being translated.
struct OnnxNode {
  const onnx::NodeProto &n;
  int index;        ///< in the sorted graph
  std::string ctx;  ///< where(n, index), to start messages
  int opset;        ///< of the default domain
};

class ImportCtx {
 public:
  ImportCtx(const onnx::GraphProto &g, const ShapeMap &shapes);

  Graph graph;

  /// Input `i` as a value: a graph input, a node's output, or a float constant (which becomes
  /// a constant value). Throws Error (EINVAL) if it is missing.
  ValueId value(const OnnxNode &on, int i);
  /// The value named `name`, as value() (a graph output, say); `ctx` starts messages.
  ValueId named(const std::string &name, const std::string &ctx);
  /// Input `i` if it is a constant, else null (also for an absent optional input).
  const Const *constant(const OnnxNode &on, int i) const;
  /// Input `i`, which must be a constant: EOPNOTSUPP otherwise.
  const Const &need_const(const OnnxNode &on, int i) const;
  /// Input `i`, which must be a constant of finite floats (weights): EOPNOTSUPP if it is not
  /// a constant, EINVAL naming the tensor if it is not float or not finite.
  const Const &weights(const OnnxNode &on, int i) const;
  /// The static shape of input `i` (dimension 0 kBatch if it is the batch).
  std::vector<int64_t> in_shape(const OnnxNode &on, int i) const;
  /// The shape inference gave output `i`; EOPNOTSUPP naming the node if a dimension after the
  /// first is not static.
  std::vector<int64_t> out_shape(const OnnxNode &on, int i) const;
  /// Adds a node of `kind` reading `inputs` and giving output 0 of `on`, of shape `shape`.
  Node &add(LayerKind kind, const OnnxNode &on, std::vector<ValueId> inputs,
            std::vector<int64_t> shape);
  /// Makes output 0 of `on` another name for value `v` (a node that moves nothing).
  void alias(const OnnxNode &on, ValueId v);
  /// Makes output 0 of `on` the constant `k` (a node folded at import).
  void set_const(const OnnxNode &on, Const k);

 private:
  std::vector<int64_t> static_shape(const std::string &name, const ShapeInfo &s,
                                    const std::string &ctx) const;

  const ShapeMap &shapes_;
  std::map<std::string, Const> consts_;
  std::map<std::string, ValueId> ids_;
};

using Translator = void (*)(ImportCtx &c, const OnnxNode &on);
using TranslatorMap = std::map<std::string, Translator>;

/// Every translator, by operator (onnx_import.cc).
const TranslatorMap &translators();

void add_conv_translators(TranslatorMap &m);
void add_dense_translators(TranslatorMap &m);
void add_shape_translators(TranslatorMap &m);
void add_activation_translators(TranslatorMap &m);
void add_quant_translators(TranslatorMap &m);

/// A 16-bit geometry figure (kernel, stride, pad, dilation): EINVAL naming `what` otherwise.
uint32_t to_u32(int64_t v, const std::string &ctx, const char *what);

/// `axis` in [-rank, rank) made non-negative: EINVAL otherwise.
int64_t normalize_axis(int64_t axis, size_t rank, const std::string &ctx);

}  // namespace zaccel
