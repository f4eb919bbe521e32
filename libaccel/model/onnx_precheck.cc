#include "model/onnx_precheck.h"

#include <onnx/onnx_pb.h>

#include <cerrno>

#include "model/onnx_const_fold.h"
#include "model/onnx_ops.h"
#include "model/onnx_tensor.h"
#include "util/error.h"

namespace zaccel {
namespace {

void in_range(const onnx::AttributeProto &a, int64_t lo, int64_t hi, const std::string &ctx) {
  for (int64_t v : a.ints())
    if (v < lo || v > hi) fail(EINVAL, ctx, ": ", a.name(), " value ", v, " out of range");
  if (a.type() == onnx::AttributeProto::INT && (a.i() < lo || a.i() > hi))
    fail(EINVAL, ctx, ": ", a.name(), " ", a.i(), " out of range");
}

}  // namespace

void precheck(const onnx::GraphProto &g) {
  for (int i = 0; i < g.node_size(); ++i) {
    const onnx::NodeProto &n = g.node(i);
    const std::string ctx = where(n, i);
    if (!n.domain().empty() && n.domain() != "ai.onnx")
      fail(EOPNOTSUPP, ctx, ": operator domain '", n.domain(), "' is not supported");
    const std::string &op = n.op_type();
    if (!translators().count(op) && !is_folded_operator(op))
      fail(EOPNOTSUPP, ctx, ": unsupported operator '", op, "'");
    if (op != "Conv" && op != "MaxPool" && op != "AveragePool") continue;
    for (const auto &a : n.attribute()) {
      if (a.name() == "strides" || a.name() == "dilations" || a.name() == "kernel_shape")
        in_range(a, 1, 65535, ctx);
      else if (a.name() == "pads")
        in_range(a, 0, 65535, ctx);
      else if (a.name() == "group")
        in_range(a, 1, 65535, ctx);
    }
  }
}

}  // namespace zaccel
