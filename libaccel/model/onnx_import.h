// ONNX import (Debian's libonnx protobuf classes): a chain of Conv, Relu, MaxPool,
// AveragePool, Gemm, MatMul(+Add), Flatten and Reshape becomes a Graph.
#pragma once

#include <string>

#include "model/graph.h"

namespace onnx {
class ModelProto;
}

namespace zaccel {

/// Parses and imports `path`. Throws Error naming the node and the reason for anything it
/// cannot import exactly; EINVAL, naming the tensor, for a weight or bias that is not finite.
Graph import_onnx_file(const std::string &path);

/// Imports an already parsed model.
Graph import_onnx(const onnx::ModelProto &model);

}  // namespace zaccel
