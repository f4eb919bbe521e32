// ONNX import: the shape of every value, from ONNX's own shape inference (Debian's libonnx).
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

/// Names the graph inputs' dimension 0 (as "batch" where it has neither a name nor a size),
/// runs shape inference on `m` (replacing its value_info) and returns the shapes of its graph
/// inputs, initializers, node outputs and graph outputs. Throws Error (EBADMSG) if inference
/// finds the model inconsistent.
ShapeMap infer_shapes(onnx::ModelProto &m);

}  // namespace zaccel
