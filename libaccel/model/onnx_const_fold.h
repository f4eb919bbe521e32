// ONNX import: constant subgraphs folded before the operators are read. Constant nodes, and
// the Shape, Gather, Unsqueeze, Squeeze, Concat, Slice, Cast and integer Add, Sub, Mul and Div
// chains that compute a reshape target from a static shape (PyTorch's x.view(x.size(0), -1)),
// become initializers. The batch size stays symbolic inside them; a Reshape whose target
// holds it in dimension 0 gets 0 there (copy the input's) and its -1 resolved, so that shape
// inference gives the output a static shape. Dropout (in inference) and Identity are removed.
#pragma once

#include <string>

#include "model/onnx_shapes.h"

namespace onnx {
class ModelProto;
}

namespace zaccel {

/// Whether the folding reads `op` (Constant, Identity and Dropout included); the node may
/// still stay if its inputs are not constant.
bool is_folded_operator(const std::string &op);

/// Rewrites `m` in place, with `shapes` from a first shape inference. Throws Error naming the
/// node: EOPNOTSUPP for a Dropout in training mode or whose mask is used, or a Reshape whose
/// target moves the batch out of dimension 0; EINVAL for a folded operator whose constant
/// inputs do not fit it.
void fold_constants(onnx::ModelProto &m, const ShapeMap &shapes);

}  // namespace zaccel
