// ONNX import: constant tensors (initializers, Constant nodes, folded shape computations) as
// the importer reads them, and how it names a node in a message.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace onnx {
class NodeProto;
class TensorProto;
class AttributeProto;
}  // namespace onnx

namespace zaccel {

/// A constant: float values (FLOAT, and DOUBLE read as float) or integers (INT64, INT32, INT8,
/// UINT8, BOOL). Integers of a folded shape computation may hold kBatchDim, the symbolic batch.
struct Const {
  std::vector<int64_t> dims;
  bool is_float = false;
  std::vector<float> f;
  std::vector<int64_t> i;
  int32_t type = 0;  ///< the ONNX data type it was read from; 0 for a folded shape or a number

  size_t size() const { return is_float ? f.size() : i.size(); }
};

/// The symbolic batch size inside a folded integer tensor.
inline constexpr int64_t kBatchDim = INT64_MIN;

/// A node's name, or "#INDEX" for a node without one.
std::string node_id(const onnx::NodeProto &n, int index);

/// "node 'NAME' (OP)", or "node #INDEX (OP)" for a node without a name.
std::string where(const onnx::NodeProto &n, int index);

/// Reads `t`; `ctx` starts each message. Throws Error: EBADMSG for a size that does not match
/// the shape, EFBIG for a tensor of more than 2^31 elements, EOPNOTSUPP for external data or
/// another data type.
Const to_const(const onnx::TensorProto &t, const std::string &ctx);

/// A Constant node's value (value, value_float(s), value_int(s)).
Const constant_value(const onnx::NodeProto &n, const std::string &ctx);

/// Throws Error (EINVAL) naming the tensor, the value and its index if `v` holds a NaN or an
/// infinity: weights and biases must be finite.
void need_finite(const std::vector<float> &v, const std::string &tensor, const std::string &ctx,
                 const char *scaled = "");

}  // namespace zaccel
