// ONNX import: what must hold before ONNX's shape inference runs on a model. Inference is run
// only over operators the importer reads or folds (so no other operator's inference code sees
// hostile input), and with window attributes in range: libonnx 1.12 divides by a stride
// without checking it.
#pragma once

namespace onnx {
class GraphProto;
}

namespace zaccel {

/// Throws Error naming the node: EOPNOTSUPP for an operator outside the importer's set or
/// another domain; EINVAL for a stride, dilation or kernel size below 1 or above 65535, a pad
/// below 0 or above 65535, or a group below 1.
void precheck(const onnx::GraphProto &g);

}  // namespace zaccel
