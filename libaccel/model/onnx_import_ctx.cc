// ONNX import: the translators' shared state (model/onnx_ops.h).
#include <algorithm>
#include <cerrno>

#include "model/onnx_ops.h"
#include "util/error.h"

namespace zaccel {
namespace {

// No value may hold more than this many elements per image: a graph that asks for more is
// refused before anything is allocated for it (a few layers of 224x224x64 floats fit).
constexpr size_t kMaxPerImage = size_t{1} << 24;

}  // namespace

uint32_t to_u32(int64_t v, const std::string &ctx, const char *what) {
  if (v < 0 || v > 65535) fail(EINVAL, ctx, ": ", what, " ", v, " out of range");
  return static_cast<uint32_t>(v);
}

int64_t normalize_axis(int64_t axis, size_t rank, const std::string &ctx) {
  const auto r = static_cast<int64_t>(rank);
  if (axis < -r || axis >= r) fail(EINVAL, ctx, ": axis ", axis, " out of range for rank ", r);
  return axis < 0 ? axis + r : axis;
}

ImportCtx::ImportCtx(const onnx::GraphProto &g, const ShapeMap &shapes) : shapes_(shapes) {
  for (const auto &t : g.initializer())
    consts_[t.name()] = to_const(t, "initializer");
  for (const auto &in : g.input()) {
    if (consts_.count(in.name())) continue;
    const std::string ctx = "input '" + in.name() + "'";
    // Codes of 8 bits are exact as floats; only a DequantizeLinear may read them.
    const int32_t type = in.type().tensor_type().elem_type();
    const bool codes = type == onnx::TensorProto::INT8 || type == onnx::TensorProto::UINT8;
    if (type != onnx::TensorProto::FLOAT && !codes)
      fail(EOPNOTSUPP, ctx, " is not a float, int8 or uint8 tensor");
    for (int k = 0; codes && k < g.node_size(); ++k) {
      const auto &n = g.node(k);
      if (n.op_type() != "DequantizeLinear" &&
          std::find(n.input().begin(), n.input().end(), in.name()) != n.input().end())
        fail(EOPNOTSUPP, ctx, " holds integer codes, which only a DequantizeLinear reads");
    }
    const auto s = shapes_.find(in.name());
    if (s == shapes_.end() || !s->second.ranked) fail(EOPNOTSUPP, ctx, " has no shape");
    Value v;
    v.name = in.name();
    v.shape = static_shape(in.name(), s->second, ctx);
    if (v.shape.empty()) fail(EOPNOTSUPP, ctx, " is a scalar (dimension 0 is the batch)");
    const ValueId id = graph.add_value(std::move(v));
    ids_[in.name()] = id;
    graph.inputs.push_back(id);
  }
}

std::vector<int64_t> ImportCtx::static_shape(const std::string &name, const ShapeInfo &s,
                                             const std::string &ctx) const {
  if (!s.ranked) fail(EOPNOTSUPP, ctx, ": the shape of '", name, "' is unknown");
  std::vector<int64_t> shape;
  size_t per_image = 1;
  for (size_t k = 0; k < s.dims.size(); ++k) {
    const int64_t d = s.dims[k];
    if (k == 0) {
      shape.push_back(d < 0 ? kBatch : d);
      continue;
    }
    if (d < 0) {
      fail(EOPNOTSUPP, ctx, ": dimension ", k, " of '", name,
           "' is not a fixed size (only dimension 0, the batch, may vary)");
    }
    per_image *= static_cast<size_t>(std::min<int64_t>(d, int64_t{1} << 32));
    if (per_image > kMaxPerImage)
      fail(EFBIG, ctx, ": '", name, "' holds more than ", kMaxPerImage, " elements per image");
    shape.push_back(d);
  }
  if (!shape.empty() && shape[0] > 0 && per_image * static_cast<size_t>(shape[0]) > kMaxPerImage)
    fail(EFBIG, ctx, ": '", name, "' holds more than ", kMaxPerImage, " elements");
  return shape;
}

ValueId ImportCtx::value(const OnnxNode &on, int i) {
  if (on.n.input_size() <= i || on.n.input(i).empty()) fail(EINVAL, on.ctx, ": missing input ", i);
  return named(on.n.input(i), on.ctx);
}

ValueId ImportCtx::named(const std::string &name, const std::string &ctx) {
  if (auto it = ids_.find(name); it != ids_.end()) return it->second;
  const auto c = consts_.find(name);
  if (c == consts_.end()) fail(EINVAL, ctx, ": input '", name, "' is not known");
  if (!c->second.is_float) fail(EOPNOTSUPP, ctx, ": input '", name, "' is not float");
  Value v;
  v.name = name;
  v.shape = c->second.dims;
  v.is_const = true;
  v.data = c->second.f;
  const ValueId id = graph.add_value(std::move(v));
  ids_[name] = id;
  return id;
}

const Const *ImportCtx::constant(const OnnxNode &on, int i) const {
  if (on.n.input_size() <= i || on.n.input(i).empty()) return nullptr;
  const auto c = consts_.find(on.n.input(i));
  return c == consts_.end() ? nullptr : &c->second;
}

const Const &ImportCtx::need_const(const OnnxNode &on, int i) const {
  if (on.n.input_size() <= i || on.n.input(i).empty()) fail(EINVAL, on.ctx, ": missing input ", i);
  const Const *c = constant(on, i);
  if (!c)
    fail(EOPNOTSUPP, on.ctx, ": input '", on.n.input(i), "' must be a constant (initializer)");
  return *c;
}

const Const &ImportCtx::weights(const OnnxNode &on, int i) const {
  const Const &c = need_const(on, i);
  if (!c.is_float) fail(EINVAL, on.ctx, ": input '", on.n.input(i), "' must be float");
  need_finite(c.f, on.n.input(i), on.ctx);
  return c;
}

std::vector<int64_t> ImportCtx::in_shape(const OnnxNode &on, int i) const {
  if (on.n.input_size() <= i || on.n.input(i).empty()) fail(EINVAL, on.ctx, ": missing input ", i);
  const std::string &name = on.n.input(i);
  if (auto it = ids_.find(name); it != ids_.end()) return graph.values[it->second].shape;
  if (const Const *c = constant(on, i)) return c->dims;
  fail(EINVAL, on.ctx, ": input '", name, "' is not known");
}

std::vector<int64_t> ImportCtx::out_shape(const OnnxNode &on, int i) const {
  const std::string &name = on.n.output(i);
  const auto s = shapes_.find(name);
  if (s == shapes_.end() || !s->second.ranked)
    fail(EOPNOTSUPP, on.ctx, ": shape inference gives output '", name, "' no static shape");
  return static_shape(name, s->second, on.ctx);
}

Node &ImportCtx::add(LayerKind kind, const OnnxNode &on, std::vector<ValueId> inputs,
                     std::vector<int64_t> shape) {
  if (on.n.output_size() < 1 || on.n.output(0).empty()) fail(EINVAL, on.ctx, ": no output");
  for (int k = 1; k < on.n.output_size(); ++k)
    if (!on.n.output(k).empty()) fail(EOPNOTSUPP, on.ctx, ": only the first output is supported");
  Value v;
  v.name = on.n.output(0);
  v.shape = std::move(shape);
  const ValueId id = graph.add_value(std::move(v));
  ids_[on.n.output(0)] = id;
  Node l;
  l.kind = kind;
  l.node = node_id(on.n, on.index);
  l.op = on.n.op_type();
  l.inputs = std::move(inputs);
  l.outputs = {id};
  if (!l.inputs.empty()) l.in = dims_of(graph.values[l.inputs[0]].shape);
  l.out = dims_of(graph.values[id].shape);
  graph.nodes.push_back(std::move(l));
  return graph.nodes.back();
}

void ImportCtx::alias(const OnnxNode &on, ValueId v) {
  ids_[on.n.output(0)] = v;
}

void ImportCtx::set_const(const OnnxNode &on, Const k) {
  if (on.n.output_size() != 1 || on.n.output(0).empty()) fail(EINVAL, on.ctx, ": no output");
  consts_[on.n.output(0)] = std::move(k);
}

}  // namespace zaccel
