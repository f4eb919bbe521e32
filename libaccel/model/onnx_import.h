// ONNX import (Debian's libonnx: its protobuf classes, checker and shape inference): a model
// becomes a Graph with static shapes (the batch aside). Operators: Conv, MaxPool, AveragePool,
// GlobalAveragePool, GlobalMaxPool, BatchNormalization, Pad (constant), Gemm, MatMul, Add,
// Mul, Concat, Flatten, Reshape, Squeeze, Unsqueeze, Relu, LeakyRelu, Clip, PRelu, Sigmoid, Tanh,
// HardSigmoid, HardSwish, Softmax, LogSoftmax; Dropout and Identity are removed, constant
// shape computations folded. Quantized (QDQ) models are not imported yet.
#pragma once

#include <string>

#include "model/graph.h"

namespace onnx {
class ModelProto;
}

namespace zaccel {

/// Parses and imports `path`. Throws Error naming the node, its operator and the reason for
/// anything it cannot import exactly: EOPNOTSUPP for an operator, attribute value or data type
/// it does not support, or a dimension after the first that cannot be made static; EBADMSG for
/// a file that is no valid model (truncated, a cycle, a dangling input); EINVAL for shapes that
/// do not fit and, naming the tensor, a weight or bias that is not finite; EFBIG for a value
/// of more than 2^24 elements per image.
Graph import_onnx_file(const std::string &path);

/// Imports an already parsed model.
Graph import_onnx(const onnx::ModelProto &model);

}  // namespace zaccel
