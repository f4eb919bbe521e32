// ONNX import: the shape of every value, from ONNX's own shape inference (Debian's libonnx),
// driven node by node (onnx_shapes.cc says why).
// Dimension 0 of a graph input is the batch; a dimension equal to it is marked kBatchDim, any
// other dimension that inference leaves open kUnknownDim.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace onnx {
class ModelProto;
}

namespace zaccel {

inline constexpr int64_t kUnknownDim = -2;

struct ShapeInfo {
  bool ranked = false;        ///< the rank is known
  std::vector<int64_t> dims;  ///< >= 0 static, kBatchDim the batch, or kUnknownDim
  int elem_type = 0;          ///< onnx::TensorProto::DataType, 0 if unknown
};

using ShapeMap = std::map<std::string, ShapeInfo>;

/// Runs ONNX's shape inference over `m`'s nodes in order (the graph inputs' dimension 0 named
/// "batch" where it has neither a name nor a size; declared value_info and output shapes not
/// trusted) and returns the shapes of the graph inputs, initializers and node outputs. A node
/// whose inference fails keeps outputs without a shape, as in ONNX's non-strict mode. Throws
/// Error naming the node for what libonnx's inference cannot take safely: EOPNOTSUPP for a
/// Conv, MaxPool or AveragePool whose input is not 4-D; EINVAL for their weights not 4-D or
/// window attributes not of 2 values (pads: 4).
ShapeMap infer_shapes(onnx::ModelProto &m);

}  // namespace zaccel
