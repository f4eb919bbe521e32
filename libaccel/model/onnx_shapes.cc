#include "model/onnx_shapes.h"

#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <cerrno>
#include <set>

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

}  // namespace

ShapeMap infer_shapes(onnx::ModelProto &m) {
  onnx::GraphProto &g = *m.mutable_graph();
  std::set<std::string> inits, batch;
  for (const auto &t : g.initializer())
    inits.insert(t.name());
  for (auto &in : *g.mutable_input()) {
    if (inits.count(in.name()) || !in.type().has_tensor_type()) continue;
    auto *shape = in.mutable_type()->mutable_tensor_type()->mutable_shape();
    if (shape->dim_size() == 0) continue;
    auto *d0 = shape->mutable_dim(0);
    if (!d0->has_dim_value() && d0->dim_param().empty()) d0->set_dim_param("batch");
    if (d0->has_dim_param()) batch.insert(d0->dim_param());
  }
  // Inference decides the shapes; a graph output's declared one (exporters often give none, or
  // a wrong one) is not trusted.
  g.clear_value_info();
  for (auto &out : *g.mutable_output())
    if (out.type().has_tensor_type()) out.mutable_type()->mutable_tensor_type()->clear_shape();
  try {
    onnx::shape_inference::InferShapes(m, onnx::OpSchemaRegistry::Instance(),
                                       onnx::ShapeInferenceOptions(false, 0, false));
  } catch (const std::exception &e) {
    fail(EBADMSG, "ONNX shape inference: ", e.what());
  }
  ShapeMap shapes;
  for (const auto &t : g.initializer()) {
    ShapeInfo s{true, {t.dims().begin(), t.dims().end()}, t.data_type()};
    shapes[t.name()] = s;
  }
  for (const auto &v : g.input())
    if (!inits.count(v.name())) shapes[v.name()] = read(v.type(), batch);
  for (const auto &v : g.value_info())
    shapes[v.name()] = read(v.type(), batch);
  for (const auto &v : g.output())
    if (!shapes.count(v.name()) || !shapes[v.name()].ranked)
      shapes[v.name()] = read(v.type(), batch);
  return shapes;
}

}  // namespace zaccel
