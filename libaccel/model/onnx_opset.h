// ONNX import: the version of the default operator set a model imports.
#pragma once

#include <onnx/onnx_pb.h>

namespace zaccel {

/// The opset version of the default domain ("" or "ai.onnx"), or 1 if the model names none.
inline int default_opset(const onnx::ModelProto &m) {
  for (const auto &o : m.opset_import())
    if (o.domain().empty() || o.domain() == "ai.onnx") return static_cast<int>(o.version());
  return 1;
}

}  // namespace zaccel
