// ONNX's shape inference driven node by node: each operator's own inference function from
// libonnx's schemas, on the types its inputs have so far and the initializers' data, as
// InferShapes does; but before each node a guard refuses what libonnx 1.12's functions read
// out of bounds or divide by zero on (found by fuzzing: a 3-D input with 4-D Conv weights, a
// zero stride), naming the node.
#include "model/onnx_shapes.h"

#include <onnx/defs/schema.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <cerrno>
#include <set>
#include <unordered_map>

#include "model/onnx_tensor.h"
#include "util/error.h"

namespace zaccel {
namespace {

ShapeInfo read(const onnx::TypeProto &t, const std::set<std::string> &batch) {
  ShapeInfo s;
  if (!t.has_tensor_type()) return s;
  s.elem_type = t.tensor_type().elem_type();
  if (!t.tensor_type().has_shape()) return s;
  s.ranked = true;
  for (const auto &d : t.tensor_type().shape().dim()) {
    if (d.has_dim_value() && d.dim_value() >= 0)
      s.dims.push_back(d.dim_value());
    else if (d.has_dim_param() && batch.count(d.dim_param()))
      s.dims.push_back(kBatchDim);
    else
      s.dims.push_back(kUnknownDim);
  }
  return s;
}

int rank_of(const onnx::TypeProto *t) {
  if (!t || !t->has_tensor_type() || !t->tensor_type().has_shape()) return -1;
  return t->tensor_type().shape().dim_size();
}

// Conv, MaxPool and AveragePool: the importer takes 2-D windows only, and libonnx's inference
// trusts the ranks of the input, the weights and the attributes to agree.
void guard_window(const onnx::NodeProto &n, const std::vector<const onnx::TypeProto *> &in,
                  const std::string &ctx) {
  const int r = rank_of(in.empty() ? nullptr : in[0]);
  if (r != 4) {
    fail(EOPNOTSUPP, ctx, ": only 2-D windows over [N, C, H, W] are supported (input is ",
         r < 0 ? std::string("of unknown rank") : std::to_string(r) + "-D", ")");
  }
  if (n.op_type() == "Conv" && rank_of(in.size() > 1 ? in[1] : nullptr) != 4)
    fail(EINVAL, ctx, ": the weights must be 4-D");
  for (const auto &a : n.attribute()) {
    const bool list = a.name() == "strides" || a.name() == "dilations" ||
                      a.name() == "kernel_shape" || a.name() == "pads";
    if (list && a.ints_size() != (a.name() == "pads" ? 4 : 2))
      fail(EINVAL, ctx, ": ", a.name(), " has ", a.ints_size(), " values for a 2-D window");
  }
}

void guard(const onnx::NodeProto &n, const std::vector<const onnx::TypeProto *> &in,
           const std::string &ctx) {
  const std::string &op = n.op_type();
  if (op == "Conv" || op == "MaxPool" || op == "AveragePool") guard_window(n, in, ctx);
}

}  // namespace

ShapeMap infer_shapes(onnx::ModelProto &m) {
  onnx::GraphProto &g = *m.mutable_graph();
  int opset = 1;
  for (const auto &o : m.opset_import())
    if (o.domain().empty() || o.domain() == "ai.onnx") opset = static_cast<int>(o.version());
  std::set<std::string> inits, batch;
  // Types by value name: the graph inputs', the initializers', then each node's outputs'.
  std::unordered_map<std::string, onnx::TypeProto> owned;
  std::unordered_map<std::string, onnx::TypeProto *> types;
  std::unordered_map<std::string, const onnx::TensorProto *> data;
  std::unordered_map<std::string, const onnx::SparseTensorProto *> sparse;
  for (const auto &t : g.initializer()) {
    inits.insert(t.name());
    onnx::TypeProto &type = owned[t.name()];
    type.mutable_tensor_type()->set_elem_type(t.data_type());
    auto *shape = type.mutable_tensor_type()->mutable_shape();
    for (int64_t d : t.dims())
      shape->add_dim()->set_dim_value(d);
    data[t.name()] = &t;
  }
  for (const auto &in : g.input()) {
    if (inits.count(in.name()) || !in.type().has_tensor_type()) continue;
    onnx::TypeProto &type = owned[in.name()] = in.type();
    if (!type.tensor_type().has_shape() || type.tensor_type().shape().dim_size() == 0) continue;
    auto *d0 = type.mutable_tensor_type()->mutable_shape()->mutable_dim(0);
    if (!d0->has_dim_value() && d0->dim_param().empty()) d0->set_dim_param("batch");
    if (d0->has_dim_param()) batch.insert(d0->dim_param());
  }
  for (auto &[name, t] : owned)
    types[name] = &t;
  for (int i = 0; i < g.node_size(); ++i) {
    onnx::NodeProto &n = *g.mutable_node(i);
    std::vector<const onnx::TypeProto *> in;
    for (const std::string &name : n.input()) {
      const auto it = types.find(name);
      in.push_back(it == types.end() ? nullptr : it->second);
    }
    guard(n, in, where(n, i));
    const onnx::OpSchema *schema = onnx::OpSchemaRegistry::Schema(n.op_type(), opset, "");
    if (!schema || !schema->has_type_and_shape_inference_function()) continue;
    onnx::shape_inference::InferenceContextImpl ctx(n, types, data, sparse);
    try {
      schema->GetTypeAndShapeInferenceFunction()(ctx);
    } catch (const std::exception &) {
      continue;  // as ONNX's non-strict mode: the outputs stay without a shape
    }
    for (int k = 0; k < n.output_size(); ++k) {
      const onnx::TypeProto *t = ctx.getOutputType(static_cast<size_t>(k));
      if (n.output(k).empty() || t->value_case() == onnx::TypeProto::VALUE_NOT_SET) continue;
      onnx::TypeProto &slot = owned[n.output(k)] = *t;
      types[n.output(k)] = &slot;
    }
  }
  ShapeMap shapes;
  for (const auto &[name, t] : owned)
    shapes[name] = read(t, batch);
  return shapes;
}

}  // namespace zaccel
