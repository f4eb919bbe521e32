#include "model/onnx_const_fold.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <map>
#include <set>

#include "model/onnx_attrs.h"
#include "model/onnx_opset.h"
#include "model/onnx_tensor.h"
#include "util/error.h"

namespace zaccel {
namespace {

// Folded tensors are shape computations: a few elements. Larger ones are left to the
// operators (which refuse what they do not support).
constexpr size_t kMaxFold = 4096;

size_t count(const std::vector<int64_t> &dims) {
  size_t n = 1;
  for (int64_t d : dims)
    n *= static_cast<size_t>(d);
  return n;
}

int64_t norm_axis(int64_t axis, size_t rank, const std::string &ctx) {
  const auto r = static_cast<int64_t>(rank);
  if (axis < -r || axis >= r) fail(EINVAL, ctx, ": axis ", axis, " out of range for rank ", r);
  return axis < 0 ? axis + r : axis;
}

// The integers of a constant input (shape, axes, indices...).
const std::vector<int64_t> &int_values(const Const &c, const std::string &ctx) {
  if (c.is_float) fail(EINVAL, ctx, ": expects an integer tensor");
  return c.i;
}

class Folder {
 public:
  Folder(onnx::ModelProto &m, const ShapeMap &shapes)
      : g_(*m.mutable_graph()), shapes_(shapes), opset_(default_opset(m)) {}
  void run();

 private:
  bool fold(const onnx::NodeProto &n, const std::string &ctx);
  bool all_const(const onnx::NodeProto &n, size_t from) const;
  const Const &in(const onnx::NodeProto &n, int i) const { return consts_.at(n.input(i)); }
  const Const *opt(const onnx::NodeProto &n, int i) const {
    return n.input_size() > i && !n.input(i).empty() ? &consts_.at(n.input(i)) : nullptr;
  }
  void remove_passthrough(const onnx::NodeProto &n, const std::string &ctx);
  Const shape(const onnx::NodeProto &n, const std::string &ctx) const;
  Const gather(const onnx::NodeProto &n, const std::string &ctx) const;
  Const unsqueeze(const onnx::NodeProto &n, const std::string &ctx) const;
  Const squeeze(const onnx::NodeProto &n, const std::string &ctx) const;
  Const concat(const onnx::NodeProto &n, const std::string &ctx) const;
  Const slice(const onnx::NodeProto &n, const std::string &ctx) const;
  Const cast(const onnx::NodeProto &n, const std::string &ctx) const;
  Const arith(const onnx::NodeProto &n, const std::string &ctx) const;
  void fix_reshape(onnx::NodeProto &n, const std::string &ctx);
  void emit(const std::string &name, const Const &c);

  onnx::GraphProto &g_;
  const ShapeMap &shapes_;
  int opset_;
  std::map<std::string, Const> consts_;       // initializers and folded values
  std::set<std::string> folded_;              // values that folding produced
  std::map<std::string, std::string> alias_;  // removed Identity/Dropout: output -> input
};

bool Folder::all_const(const onnx::NodeProto &n, size_t from) const {
  for (int i = static_cast<int>(from); i < n.input_size(); ++i)
    if (!n.input(i).empty() && !consts_.count(n.input(i))) return false;
  return true;
}

void Folder::run() {
  for (const auto &t : g_.initializer()) {
    size_t elems = 1;
    for (int64_t d : t.dims())
      elems *= d > 0 ? static_cast<size_t>(d) : 1;
    if (elems <= kMaxFold) consts_[t.name()] = to_const(t, "initializer");
  }
  google::protobuf::RepeatedPtrField<onnx::NodeProto> kept;
  for (int i = 0; i < g_.node_size(); ++i) {
    onnx::NodeProto n = g_.node(i);
    const std::string ctx = where(n, i);
    for (std::string &in : *n.mutable_input()) {
      auto it = alias_.find(in);
      if (it != alias_.end()) in = it->second;
    }
    if (n.domain().empty() || n.domain() == "ai.onnx") {
      if (n.op_type() == "Identity" || n.op_type() == "Dropout") {
        remove_passthrough(n, ctx);
        continue;
      }
      if (fold(n, ctx)) continue;
    }
    *kept.Add() = std::move(n);
  }
  g_.mutable_node()->Swap(&kept);
  for (auto &out : *g_.mutable_output()) {
    auto it = alias_.find(out.name());
    if (it != alias_.end()) out.set_name(it->second);
  }
  // Folded values that remain in use become initializers; a batch size inside one is only
  // meaningful as a Reshape target.
  std::set<std::string> used;
  for (int i = 0; i < g_.node_size(); ++i) {
    onnx::NodeProto &n = *g_.mutable_node(i);
    const std::string ctx = where(n, i);
    if (n.op_type() == "Reshape" && n.input_size() == 2 && consts_.count(n.input(1))) {
      fix_reshape(n, ctx);
    }
    for (int k = 0; k < n.input_size(); ++k) {
      const std::string &name = n.input(k);
      if (!folded_.count(name)) continue;
      for (int64_t v : consts_.at(name).i)
        if (v == kBatchDim) fail(EOPNOTSUPP, ctx, ": input '", name, "' depends on the batch size");
      used.insert(name);
    }
  }
  for (const auto &out : g_.output())
    if (folded_.count(out.name())) used.insert(out.name());
  for (const std::string &name : used)
    emit(name, consts_.at(name));
}

void Folder::remove_passthrough(const onnx::NodeProto &n, const std::string &ctx) {
  if (n.input_size() < 1 || n.input(0).empty() || n.output_size() < 1)
    fail(EINVAL, ctx, ": expects an input and an output");
  if (n.op_type() == "Dropout") {
    Attrs a(n, ctx, {"ratio", "seed", "is_test"});
    if (n.output_size() > 1 && !n.output(1).empty()) {
      for (const auto &other : g_.node())
        for (const auto &in : other.input())
          if (in == n.output(1)) fail(EOPNOTSUPP, ctx, ": its mask output is used");
      for (const auto &out : g_.output())
        if (out.name() == n.output(1)) fail(EOPNOTSUPP, ctx, ": its mask output is used");
    }
    if (n.input_size() > 2 && !n.input(2).empty()) {
      const auto it = consts_.find(n.input(2));
      if (it == consts_.end() || it->second.size() != 1 ||
          (it->second.is_float ? it->second.f[0] != 0 : it->second.i[0] != 0)) {
        fail(EOPNOTSUPP, ctx, ": training_mode must be a constant false");
      }
    }
  } else {
    Attrs a(n, ctx, {});
  }
  alias_[n.output(0)] = n.input(0);
}

bool Folder::fold(const onnx::NodeProto &n, const std::string &ctx) {
  static const std::map<std::string,
                        Const (Folder::*)(const onnx::NodeProto &, const std::string &) const>
      ops = {{"Shape", &Folder::shape},
             {"Gather", &Folder::gather},
             {"Unsqueeze", &Folder::unsqueeze},
             {"Squeeze", &Folder::squeeze},
             {"Concat", &Folder::concat},
             {"Slice", &Folder::slice},
             {"Cast", &Folder::cast},
             {"Add", &Folder::arith},
             {"Sub", &Folder::arith},
             {"Mul", &Folder::arith},
             {"Div", &Folder::arith}};
  Const c;
  if (n.op_type() == "Constant") {
    // Any size (PyTorch may give weights as Constant nodes): the file's data, as an
    // initializer; a small one is folded on.
    c = constant_value(n, ctx);
    if (n.attribute(0).name() == "value") {
      onnx::TensorProto *t = g_.add_initializer();
      *t = n.attribute(0).t();
      t->set_name(n.output(0));
    } else {
      emit(n.output(0), c);
    }
    if (count(c.dims) <= kMaxFold) consts_[n.output(0)] = std::move(c);
    return true;
  } else {
    const auto it = ops.find(n.op_type());
    if (it == ops.end() || n.output_size() != 1) return false;
    if (n.op_type() == "Shape") {
      const auto sh = n.input_size() == 1 ? shapes_.find(n.input(0)) : shapes_.end();
      if (sh == shapes_.end() || !sh->second.ranked) return false;
      for (int64_t d : sh->second.dims)
        if (d == kUnknownDim) return false;
    } else {
      if (n.input_size() < 1 || !all_const(n, 0)) return false;
      // Arithmetic folds on integers only: float arithmetic is the network's.
      if (it->second == &Folder::arith)
        for (const std::string &name : n.input())
          if (consts_.at(name).is_float) return false;
    }
    c = (this->*(it->second))(n, ctx);
  }
  if (count(c.dims) > kMaxFold || c.size() != count(c.dims)) return false;  // too large to fold
  consts_[n.output(0)] = std::move(c);
  folded_.insert(n.output(0));
  return true;
}

Const Folder::shape(const onnx::NodeProto &n, const std::string &ctx) const {
  Attrs a(n, ctx, {"start", "end"});
  const std::vector<int64_t> &dims = shapes_.at(n.input(0)).dims;
  const auto r = static_cast<int64_t>(dims.size());
  auto clampi = [&](int64_t v) { return std::clamp(v < 0 ? v + r : v, int64_t{0}, r); };
  const int64_t lo = clampi(a.i("start", 0)), hi = clampi(a.i("end", r));
  Const c;
  for (int64_t k = lo; k < hi; ++k)
    c.i.push_back(dims[static_cast<size_t>(k)]);
  c.dims = {static_cast<int64_t>(c.i.size())};
  return c;
}

Const Folder::gather(const onnx::NodeProto &n, const std::string &ctx) const {
  Attrs a(n, ctx, {"axis"});
  if (n.input_size() != 2) fail(EINVAL, ctx, ": expects 2 inputs");
  const Const &data = in(n, 0);
  const std::vector<int64_t> &idx = int_values(in(n, 1), ctx);
  const auto axis = static_cast<size_t>(norm_axis(a.i("axis", 0), data.dims.size(), ctx));
  const int64_t len = data.dims[axis];
  const size_t outer = count({data.dims.begin(), data.dims.begin() + static_cast<long>(axis)});
  const size_t inner = count({data.dims.begin() + static_cast<long>(axis) + 1, data.dims.end()});
  Const c;
  c.is_float = data.is_float;
  c.dims.assign(data.dims.begin(), data.dims.begin() + static_cast<long>(axis));
  c.dims.insert(c.dims.end(), in(n, 1).dims.begin(), in(n, 1).dims.end());
  c.dims.insert(c.dims.end(), data.dims.begin() + static_cast<long>(axis) + 1, data.dims.end());
  if (count(c.dims) > kMaxFold) return c;
  for (size_t o = 0; o < outer; ++o) {
    for (int64_t k : idx) {
      if (k < -len || k >= len) fail(EINVAL, ctx, ": index ", k, " out of range ", len);
      const size_t at =
          (o * static_cast<size_t>(len) + static_cast<size_t>(k < 0 ? k + len : k)) * inner;
      for (size_t j = 0; j < inner; ++j) {
        if (data.is_float)
          c.f.push_back(data.f[at + j]);
        else
          c.i.push_back(data.i[at + j]);
      }
    }
  }
  return c;
}

// The axes of Squeeze and Unsqueeze: an attribute before opset 13, an input from 13.
static std::vector<int64_t> axes_of(const Attrs &a, const Const *input, const std::string &ctx) {
  if (input) return int_values(*input, ctx);
  return a.ints("axes", {});
}

Const Folder::unsqueeze(const onnx::NodeProto &n, const std::string &ctx) const {
  Attrs a(n, ctx, {"axes"});
  Const c = in(n, 0);
  const std::vector<int64_t> axes = axes_of(a, opt(n, 1), ctx);
  const size_t rank = c.dims.size() + axes.size();
  std::vector<bool> ones(rank, false);
  for (int64_t ax : axes) {
    const auto k = static_cast<size_t>(norm_axis(ax, rank, ctx));
    if (ones[k]) fail(EINVAL, ctx, ": axis ", ax, " repeated");
    ones[k] = true;
  }
  std::vector<int64_t> dims;
  size_t from = 0;
  for (size_t k = 0; k < rank; ++k)
    dims.push_back(ones[k] ? 1 : c.dims[from++]);
  c.dims = dims;
  return c;
}

Const Folder::squeeze(const onnx::NodeProto &n, const std::string &ctx) const {
  Attrs a(n, ctx, {"axes"});
  Const c = in(n, 0);
  const std::vector<int64_t> axes = axes_of(a, opt(n, 1), ctx);
  std::vector<bool> drop(c.dims.size(), axes.empty());
  for (int64_t ax : axes)
    drop[static_cast<size_t>(norm_axis(ax, c.dims.size(), ctx))] = true;
  std::vector<int64_t> dims;
  for (size_t k = 0; k < c.dims.size(); ++k) {
    if (drop[k] && c.dims[k] == 1) continue;
    if (drop[k] && !axes.empty()) fail(EINVAL, ctx, ": dimension ", k, " is not 1");
    dims.push_back(c.dims[k]);
  }
  c.dims = dims;
  return c;
}

Const Folder::concat(const onnx::NodeProto &n, const std::string &ctx) const {
  Attrs a(n, ctx, {"axis"});
  const Const &first = in(n, 0);
  if (first.dims.empty()) fail(EINVAL, ctx, ": cannot concatenate scalars");
  const auto axis = static_cast<size_t>(norm_axis(a.i("axis", 0), first.dims.size(), ctx));
  Const c;
  c.is_float = first.is_float;
  c.dims = first.dims;
  c.dims[axis] = 0;
  for (int i = 0; i < n.input_size(); ++i) {
    const Const &t = in(n, i);
    if (t.dims.size() != first.dims.size() || t.is_float != first.is_float)
      fail(EINVAL, ctx, ": inputs of different ranks or types");
    for (size_t d = 0; d < t.dims.size(); ++d)
      if (d != axis && t.dims[d] != first.dims[d]) fail(EINVAL, ctx, ": inputs differ in shape");
    c.dims[axis] += t.dims[axis];
  }
  if (count(c.dims) > kMaxFold) return c;
  const size_t outer = count({first.dims.begin(), first.dims.begin() + static_cast<long>(axis)});
  const size_t inner = count({first.dims.begin() + static_cast<long>(axis) + 1, first.dims.end()});
  for (size_t o = 0; o < outer; ++o) {
    for (int i = 0; i < n.input_size(); ++i) {
      const Const &t = in(n, i);
      const size_t block = static_cast<size_t>(t.dims[axis]) * inner;
      if (c.is_float)
        c.f.insert(c.f.end(), t.f.begin() + static_cast<long>(o * block),
                   t.f.begin() + static_cast<long>((o + 1) * block));
      else
        c.i.insert(c.i.end(), t.i.begin() + static_cast<long>(o * block),
                   t.i.begin() + static_cast<long>((o + 1) * block));
    }
  }
  return c;
}

Const Folder::slice(const onnx::NodeProto &n, const std::string &ctx) const {
  Attrs a(n, ctx, {"starts", "ends", "axes"});
  const Const &data = in(n, 0);
  std::vector<int64_t> starts, ends, axes, steps;
  if (opset_ < 10) {
    starts = a.ints("starts", {});
    ends = a.ints("ends", {});
    axes = a.ints("axes", {});
  } else {
    if (n.input_size() < 3) fail(EINVAL, ctx, ": expects starts and ends");
    starts = int_values(in(n, 1), ctx);
    ends = int_values(in(n, 2), ctx);
    if (const Const *c = opt(n, 3)) axes = int_values(*c, ctx);
    if (const Const *c = opt(n, 4)) steps = int_values(*c, ctx);
  }
  if (axes.empty())
    for (size_t k = 0; k < starts.size(); ++k)
      axes.push_back(static_cast<int64_t>(k));
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
    fail(EINVAL, ctx, ": starts, ends, axes and steps differ in length");
  const size_t rank = data.dims.size();
  // Per dimension: first index, step and count.
  std::vector<int64_t> first(rank, 0), step(rank, 1), dims = data.dims;
  for (size_t k = 0; k < starts.size(); ++k) {
    const auto d = static_cast<size_t>(norm_axis(axes[k], rank, ctx));
    const int64_t len = data.dims[d], s = steps[k];
    if (s == 0) fail(EINVAL, ctx, ": step 0");
    auto clampi = [&](int64_t v, int64_t lo, int64_t hi) {
      if (v < 0) v += len;
      return std::clamp(v, lo, hi);
    };
    const int64_t b = s > 0 ? clampi(starts[k], 0, len) : clampi(starts[k], -1, len - 1);
    const int64_t e = s > 0 ? clampi(ends[k], 0, len) : clampi(ends[k], -1, len - 1);
    first[d] = b;
    step[d] = s;
    dims[d] = s > 0 ? std::max<int64_t>(0, (e - b + s - 1) / s)
                    : std::max<int64_t>(0, (b - e + (-s) - 1) / (-s));
  }
  Const c;
  c.is_float = data.is_float;
  c.dims = dims;
  const size_t total = count(dims);
  if (total > kMaxFold) return c;
  std::vector<int64_t> idx(rank, 0);
  for (size_t i = 0; i < total; ++i) {
    size_t at = 0;
    for (size_t d = 0; d < rank; ++d)
      at =
          at * static_cast<size_t>(data.dims[d]) + static_cast<size_t>(first[d] + idx[d] * step[d]);
    if (c.is_float)
      c.f.push_back(data.f[at]);
    else
      c.i.push_back(data.i[at]);
    for (size_t d = rank; d-- > 0;) {
      if (++idx[d] < dims[d]) break;
      idx[d] = 0;
    }
  }
  return c;
}

Const Folder::cast(const onnx::NodeProto &n, const std::string &ctx) const {
  Attrs a(n, ctx, {"to", "saturate"});
  Const c = in(n, 0);
  const int64_t to = a.i("to", 0);
  const bool to_float = to == onnx::TensorProto::FLOAT || to == onnx::TensorProto::DOUBLE;
  const bool to_int = to == onnx::TensorProto::INT64 || to == onnx::TensorProto::INT32;
  if (!to_float && !to_int) fail(EOPNOTSUPP, ctx, ": cast to data type ", to, " is not supported");
  if (to_float && !c.is_float) {
    for (int64_t v : c.i) {
      if (v == kBatchDim) fail(EOPNOTSUPP, ctx, ": casts the batch size to float");
      c.f.push_back(static_cast<float>(v));
    }
    c.i.clear();
  } else if (to_int && c.is_float) {
    for (float v : c.f) {
      if (!std::isfinite(v) || std::fabs(v) > 9e18f) fail(EINVAL, ctx, ": cannot cast ", v);
      c.i.push_back(static_cast<int64_t>(v));
    }
    c.f.clear();
  }
  c.is_float = to_float;
  return c;
}

Const Folder::arith(const onnx::NodeProto &n, const std::string &ctx) const {
  Attrs a(n, ctx, {});
  if (n.input_size() != 2) fail(EINVAL, ctx, ": expects 2 inputs");
  const Const &x = in(n, 0), &y = in(n, 1);
  const bool same = x.dims == y.dims;
  if (!same && x.size() != 1 && y.size() != 1)
    fail(EOPNOTSUPP, ctx, ": broadcast of shape tensors");
  Const c = x.size() >= y.size() ? x : y;
  const std::string &op = n.op_type();
  for (size_t k = 0; k < c.i.size(); ++k) {
    const int64_t p = x.i[x.size() == 1 ? 0 : k], q = y.i[y.size() == 1 ? 0 : k];
    if (p == kBatchDim || q == kBatchDim)
      fail(EOPNOTSUPP, ctx, ": computes with the batch size (only moving it is supported)");
    if (op == "Div" && q == 0) fail(EINVAL, ctx, ": division by zero");
    c.i[k] = op == "Add" ? p + q : op == "Sub" ? p - q : op == "Mul" ? p * q : p / q;
  }
  return c;
}

// A target with the batch size in dimension 0 copies the input's (0), and its -1 is resolved
// from the input's static dimensions, so that inference gives a static shape.
void Folder::fix_reshape(onnx::NodeProto &n, const std::string &ctx) {
  Const target = consts_.at(n.input(1));
  if (target.is_float) return;
  for (const auto &attr : n.attribute())
    if (attr.name() == "allowzero" && attr.i() != 0) return;
  std::vector<int64_t> &t = target.i;
  bool batch = !t.empty() && (t[0] == kBatchDim || t[0] == 0);
  for (size_t k = 1; k < t.size(); ++k)
    if (t[k] == kBatchDim)
      fail(EOPNOTSUPP, ctx, ": the target shape moves the batch out of dimension 0");
  const auto s = shapes_.find(n.input(0));
  if (!batch || s == shapes_.end() || !s->second.ranked || s->second.dims.empty() ||
      s->second.dims[0] != kBatchDim) {
    if (!t.empty() && t[0] == kBatchDim)
      fail(EOPNOTSUPP, ctx, ": the target shape holds the batch size of another tensor");
    return;
  }
  t[0] = 0;
  int64_t per_image = 1, known = 1;
  for (size_t k = 1; k < s->second.dims.size(); ++k) {
    if (s->second.dims[k] < 0) return;
    per_image *= s->second.dims[k];
  }
  int infer = -1;
  for (size_t k = 1; k < t.size(); ++k) {
    if (t[k] == -1)
      infer = static_cast<int>(k);
    else if (t[k] == 0 && k < s->second.dims.size())
      known *= s->second.dims[k];
    else
      known *= t[k];
  }
  if (infer > 0 && known > 0 && per_image % known == 0)
    t[static_cast<size_t>(infer)] = per_image / known;
  std::string name = n.output(0) + "_target";
  while (consts_.count(name) || shapes_.count(name))
    name += "_";
  consts_[name] = target;
  folded_.insert(name);
  n.set_input(1, name);
}

void Folder::emit(const std::string &name, const Const &c) {
  onnx::TensorProto *t = g_.add_initializer();
  t->set_name(name);
  for (int64_t d : c.dims)
    t->add_dims(d);
  if (c.is_float) {
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (float v : c.f)
      t->add_float_data(v);
  } else {
    t->set_data_type(onnx::TensorProto::INT64);
    for (int64_t v : c.i)
      t->add_int64_data(v);
  }
}

}  // namespace

bool is_folded_operator(const std::string &op) {
  static const std::set<std::string> ops = {"Constant",  "Identity", "Dropout", "Shape", "Gather",
                                            "Unsqueeze", "Squeeze",  "Concat",  "Slice", "Cast",
                                            "Add",       "Sub",      "Mul",     "Div"};
  return ops.count(op) != 0;
}

void fold_constants(onnx::ModelProto &m, const ShapeMap &shapes) {
  Folder(m, shapes).run();
}

}  // namespace zaccel
