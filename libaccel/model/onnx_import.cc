#include "model/onnx_import.h"

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "util/error.h"

namespace zaccel {
namespace {

// A constant tensor: an initializer or the value of a Constant node.
struct Const {
  std::vector<int64_t> dims;
  std::vector<float> f;
  std::vector<int64_t> i;
};

std::string where(const onnx::NodeProto &n, int index) {
  std::ostringstream os;
  os << "node ";
  if (n.name().empty())
    os << "#" << index;
  else
    os << "'" << n.name() << "'";
  os << " (" << n.op_type() << ")";
  return os.str();
}

template <typename T>
std::vector<T> raw_values(const onnx::TensorProto &t, size_t count, const std::string &ctx) {
  const std::string &raw = t.raw_data();
  if (raw.size() != count * sizeof(T)) {
    fail(EBADMSG, ctx, ": tensor '", t.name(), "' holds ", raw.size(), " bytes, shape needs ",
         count * sizeof(T));
  }
  std::vector<T> v(count);
  std::memcpy(v.data(), raw.data(), raw.size());  // ONNX raw data is little-endian, as the host
  return v;
}

Const to_const(const onnx::TensorProto &t, const std::string &ctx) {
  Const c;
  size_t count = 1;
  for (int64_t d : t.dims()) {
    if (d < 0 || d > (int64_t{1} << 31)) fail(EBADMSG, ctx, ": tensor '", t.name(), "' bad dim");
    c.dims.push_back(d);
    count *= static_cast<size_t>(d);
    if (count > (size_t{1} << 31)) fail(EFBIG, ctx, ": tensor '", t.name(), "' is too large");
  }
  if (t.data_location() == onnx::TensorProto::EXTERNAL) {
    fail(EOPNOTSUPP, ctx, ": tensor '", t.name(), "' uses external data");
  }
  const bool raw = t.has_raw_data();
  if (t.data_type() == onnx::TensorProto::FLOAT) {
    c.f = raw ? raw_values<float>(t, count, ctx)
              : std::vector<float>(t.float_data().begin(), t.float_data().end());
    if (c.f.size() != count) fail(EBADMSG, ctx, ": tensor '", t.name(), "' size mismatch");
  } else if (t.data_type() == onnx::TensorProto::INT64) {
    c.i = raw ? raw_values<int64_t>(t, count, ctx)
              : std::vector<int64_t>(t.int64_data().begin(), t.int64_data().end());
    if (c.i.size() != count) fail(EBADMSG, ctx, ": tensor '", t.name(), "' size mismatch");
  } else {
    fail(EOPNOTSUPP, ctx, ": tensor '", t.name(), "' has unsupported data type ", t.data_type());
  }
  return c;
}

// Weights and biases must be finite: a NaN or an infinity has no fixed-point code.
void need_finite(const std::vector<float> &v, const std::string &tensor, const std::string &ctx,
                 const char *scaled = "") {
  for (size_t i = 0; i < v.size(); ++i) {
    if (!std::isfinite(v[i])) {
      fail(EINVAL, ctx, ": tensor '", tensor, "'", scaled, " holds ", v[i], " at index ", i,
           " (weights and biases must be finite)");
    }
  }
}

class Importer {
 public:
  explicit Importer(const onnx::ModelProto &m) : g_(m.graph()) {}
  Graph run();

 private:
  void node(const onnx::NodeProto &n, int index);
  void conv(const onnx::NodeProto &n, const std::string &ctx);
  void pool(const onnx::NodeProto &n, const std::string &ctx, kernels::PoolKind kind);
  void gemm(const onnx::NodeProto &n, const std::string &ctx);
  void matmul(const onnx::NodeProto &n, const std::string &ctx);
  void add(const onnx::NodeProto &n, const std::string &ctx);
  void relu(const onnx::NodeProto &n, const std::string &ctx);
  void flatten(const onnx::NodeProto &n, const std::string &ctx);
  void reshape(const onnx::NodeProto &n, const std::string &ctx);

  const Const &constant(const onnx::NodeProto &n, int i, const std::string &ctx) const;
  const Const *optional_constant(const onnx::NodeProto &n, int i, const std::string &ctx) const;
  const Const &floats(const onnx::NodeProto &n, int i, const std::string &ctx) const;
  const Const *optional_floats(const onnx::NodeProto &n, int i, const std::string &ctx) const;
  Window window(const onnx::NodeProto &n, const std::string &ctx, uint32_t kh, uint32_t kw);
  Layer &add_layer(LayerKind kind, const onnx::NodeProto &n, Dims out);
  void need_rank(int rank, const std::string &ctx) const;

  const onnx::GraphProto &g_;
  std::map<std::string, Const> consts_;
  std::map<LayerKind, int> counts_;
  Graph out_;
  std::string cur_;           // the tensor the chain has reached
  Dims dims_;                 // its per-image dimensions
  int rank_ = 4;              // 4 (NCHW) or 2 (N, features)
  bool last_matmul_ = false;  // the last layer is a MatMul still open to a bias Add
};

// Attribute access with a check that nothing unknown is set.
class Attrs {
 public:
  Attrs(const onnx::NodeProto &n, const std::string &ctx, std::set<std::string> known) : ctx_(ctx) {
    for (const auto &a : n.attribute()) {
      if (!known.count(a.name())) fail(EOPNOTSUPP, ctx, ": unsupported attribute '", a.name(), "'");
      map_[a.name()] = &a;
    }
  }
  int64_t i(const std::string &name, int64_t dflt) const {
    auto it = map_.find(name);
    if (it == map_.end()) return dflt;
    if (it->second->type() != onnx::AttributeProto::INT) bad(name);
    return it->second->i();
  }
  float f(const std::string &name, float dflt) const {
    auto it = map_.find(name);
    if (it == map_.end()) return dflt;
    if (it->second->type() != onnx::AttributeProto::FLOAT) bad(name);
    return it->second->f();
  }
  std::string s(const std::string &name, const std::string &dflt) const {
    auto it = map_.find(name);
    if (it == map_.end()) return dflt;
    if (it->second->type() != onnx::AttributeProto::STRING) bad(name);
    return it->second->s();
  }
  std::vector<int64_t> ints(const std::string &name, std::vector<int64_t> dflt) const {
    auto it = map_.find(name);
    if (it == map_.end()) return dflt;
    if (it->second->type() != onnx::AttributeProto::INTS) bad(name);
    return {it->second->ints().begin(), it->second->ints().end()};
  }
  bool has(const std::string &name) const { return map_.count(name) != 0; }

 private:
  [[noreturn]] void bad(const std::string &name) const {
    fail(EBADMSG, ctx_, ": attribute '", name, "' has the wrong type");
  }
  std::string ctx_;
  std::map<std::string, const onnx::AttributeProto *> map_;
};

uint32_t to_u32(int64_t v, const std::string &ctx, const char *what) {
  if (v < 0 || v > 65535) fail(EINVAL, ctx, ": ", what, " ", v, " out of range");
  return static_cast<uint32_t>(v);
}

Graph Importer::run() {
  for (const auto &t : g_.initializer())
    consts_[t.name()] = to_const(t, "initializer");
  for (const auto &in : g_.input()) {
    if (consts_.count(in.name())) continue;
    if (!cur_.empty()) fail(EOPNOTSUPP, "graph has more than one data input ('", in.name(), "')");
    cur_ = in.name();
  }
  if (cur_.empty()) fail(EBADMSG, "graph has no data input");
  for (const auto &in : g_.input()) {
    if (in.name() != cur_) continue;
    if (in.type().tensor_type().elem_type() != onnx::TensorProto::FLOAT) {
      fail(EOPNOTSUPP, "input '", cur_, "' is not float");
    }
    const auto &s = in.type().tensor_type().shape();
    std::vector<uint32_t> d;
    for (int k = 1; k < s.dim_size(); ++k) {
      if (!s.dim(k).has_dim_value() || s.dim(k).dim_value() <= 0) {
        fail(EOPNOTSUPP, "input '", cur_, "': dimension ", k, " is not a fixed size");
      }
      d.push_back(to_u32(s.dim(k).dim_value(), "input '" + cur_ + "'", "dimension"));
    }
    if (s.dim_size() == 4) {
      dims_ = {d[0], d[1], d[2]};
    } else if (s.dim_size() == 2) {
      dims_ = {d[0], 1, 1};
      rank_ = 2;
    } else {
      fail(EOPNOTSUPP, "input '", cur_, "' has rank ", s.dim_size(), " (expected 4 or 2)");
    }
  }
  out_.input_name = cur_;
  out_.input = dims_;
  for (int i = 0; i < g_.node_size(); ++i)
    node(g_.node(i), i);
  if (g_.output_size() != 1) fail(EOPNOTSUPP, "graph has ", g_.output_size(), " outputs");
  if (g_.output(0).name() != cur_) {
    fail(EOPNOTSUPP, "graph output '", g_.output(0).name(), "' is not the end of the layer chain");
  }
  if (out_.layers.empty()) fail(EINVAL, "graph has no layers");
  out_.output_name = cur_;
  return std::move(out_);
}

void Importer::node(const onnx::NodeProto &n, int index) {
  const std::string ctx = where(n, index);
  if (n.op_type() == "Constant") {
    Attrs a(n, ctx, {"value"});
    if (n.output_size() != 1 || !a.has("value")) fail(EOPNOTSUPP, ctx, ": needs a tensor value");
    for (const auto &attr : n.attribute())
      consts_[n.output(0)] = to_const(attr.t(), ctx);
    return;
  }
  if (!n.domain().empty() && n.domain() != "ai.onnx") {
    fail(EOPNOTSUPP, ctx, ": operator domain '", n.domain(), "' is not supported");
  }
  if (n.input_size() < 1 || n.input(0) != cur_) {
    fail(EOPNOTSUPP, ctx, ": input '", n.input_size() ? n.input(0) : "", "' is not the output '",
         cur_, "' of the previous layer (only layer chains are supported)");
  }
  if (n.output_size() != 1) fail(EOPNOTSUPP, ctx, ": only single-output nodes are supported");
  const bool was_matmul = last_matmul_;
  last_matmul_ = false;
  const std::string &op = n.op_type();
  if (op == "Conv") {
    conv(n, ctx);
  } else if (op == "MaxPool") {
    pool(n, ctx, kernels::PoolKind::kMax);
  } else if (op == "AveragePool") {
    pool(n, ctx, kernels::PoolKind::kAverage);
  } else if (op == "Gemm") {
    gemm(n, ctx);
  } else if (op == "MatMul") {
    matmul(n, ctx);
  } else if (op == "Add" && was_matmul) {
    add(n, ctx);
  } else if (op == "Add") {
    fail(EOPNOTSUPP, ctx, ": Add is supported only as the bias of a MatMul");
  } else if (op == "Relu") {
    relu(n, ctx);
  } else if (op == "Flatten") {
    flatten(n, ctx);
  } else if (op == "Reshape") {
    reshape(n, ctx);
  } else {
    fail(EOPNOTSUPP, ctx, ": unsupported operator '", op, "'");
  }
  cur_ = n.output(0);
}

const Const *Importer::optional_constant(const onnx::NodeProto &n, int i,
                                         const std::string &ctx) const {
  if (n.input_size() <= i || n.input(i).empty()) return nullptr;
  auto it = consts_.find(n.input(i));
  if (it == consts_.end()) {
    fail(EOPNOTSUPP, ctx, ": input '", n.input(i), "' must be a constant (initializer)");
  }
  return &it->second;
}

const Const &Importer::constant(const onnx::NodeProto &n, int i, const std::string &ctx) const {
  const Const *c = optional_constant(n, i, ctx);
  if (!c) fail(EINVAL, ctx, ": missing input ", i);
  return *c;
}

// A weight or bias input: a constant whose float values are all finite.
const Const *Importer::optional_floats(const onnx::NodeProto &n, int i,
                                       const std::string &ctx) const {
  const Const *c = optional_constant(n, i, ctx);
  if (c) need_finite(c->f, n.input(i), ctx);
  return c;
}

const Const &Importer::floats(const onnx::NodeProto &n, int i, const std::string &ctx) const {
  const Const &c = constant(n, i, ctx);
  need_finite(c.f, n.input(i), ctx);
  return c;
}

void Importer::need_rank(int rank, const std::string &ctx) const {
  if (rank_ != rank) fail(EINVAL, ctx, ": expects a ", rank, "-D input, got ", rank_, "-D");
}

Layer &Importer::add_layer(LayerKind kind, const onnx::NodeProto &n, Dims out) {
  Layer l;
  l.kind = kind;
  l.name = std::string(layer_kind_name(kind)) + std::to_string(++counts_[kind]);
  l.node = n.name();
  l.in = dims_;
  l.out = out;
  dims_ = out;
  out_.layers.push_back(std::move(l));
  return out_.layers.back();
}

Window Importer::window(const onnx::NodeProto &n, const std::string &ctx, uint32_t kh,
                        uint32_t kw) {
  Attrs a(n, ctx,
          {"kernel_shape", "strides", "pads", "auto_pad", "dilations", "group", "ceil_mode",
           "count_include_pad", "storage_order"});
  Window w;
  w.kh = kh;
  w.kw = kw;
  const auto ks = a.ints("kernel_shape", {kh, kw});
  if (ks.size() != 2 || (kh && ks[0] != kh) || (kw && ks[1] != kw)) {
    fail(EINVAL, ctx, ": kernel_shape disagrees with the weights or is not 2-D");
  }
  w.kh = to_u32(ks[0], ctx, "kernel height");
  w.kw = to_u32(ks[1], ctx, "kernel width");
  const auto st = a.ints("strides", {1, 1});
  if (st.size() != 2) fail(EINVAL, ctx, ": strides must have 2 values");
  w.stride_h = to_u32(st[0], ctx, "stride");
  w.stride_w = to_u32(st[1], ctx, "stride");
  if (!w.kh || !w.kw || !w.stride_h || !w.stride_w) fail(EINVAL, ctx, ": zero kernel or stride");
  for (int64_t d : a.ints("dilations", {1, 1}))
    if (d != 1) fail(EOPNOTSUPP, ctx, ": dilation ", d, " is not supported");
  if (a.i("ceil_mode", 0) != 0) fail(EOPNOTSUPP, ctx, ": ceil_mode=1 is not supported");
  if (a.i("storage_order", 0) != 0) fail(EOPNOTSUPP, ctx, ": storage_order=1 is not supported");
  const std::string pad_mode = a.s("auto_pad", "NOTSET");
  if (pad_mode == "NOTSET") {
    const auto p = a.ints("pads", {0, 0, 0, 0});
    if (p.size() != 4) fail(EINVAL, ctx, ": pads must have 4 values");
    w.pad_top = to_u32(p[0], ctx, "pad");
    w.pad_left = to_u32(p[1], ctx, "pad");
    w.pad_bottom = to_u32(p[2], ctx, "pad");
    w.pad_right = to_u32(p[3], ctx, "pad");
  } else if (pad_mode == "SAME_UPPER" || pad_mode == "SAME_LOWER") {
    auto same = [&](uint32_t in, uint32_t k, uint32_t s, uint32_t &lo, uint32_t &hi) {
      const int64_t outn = (int64_t{in} + s - 1) / s;
      const int64_t total = std::max<int64_t>((outn - 1) * s + k - in, 0);
      const auto small = static_cast<uint32_t>(total / 2),
                 big = static_cast<uint32_t>(total - total / 2);
      lo = pad_mode == "SAME_UPPER" ? small : big;
      hi = pad_mode == "SAME_UPPER" ? big : small;
    };
    same(dims_.h, w.kh, w.stride_h, w.pad_top, w.pad_bottom);
    same(dims_.w, w.kw, w.stride_w, w.pad_left, w.pad_right);
  } else if (pad_mode != "VALID") {
    fail(EOPNOTSUPP, ctx, ": auto_pad '", pad_mode, "' is not supported");
  }
  if (w.pad_top >= w.kh || w.pad_bottom >= w.kh || w.pad_left >= w.kw || w.pad_right >= w.kw) {
    fail(EOPNOTSUPP, ctx, ": padding must be smaller than the kernel");
  }
  return w;
}

void Importer::conv(const onnx::NodeProto &n, const std::string &ctx) {
  need_rank(4, ctx);
  const Const &w = floats(n, 1, ctx);
  const Const *b = optional_floats(n, 2, ctx);
  if (w.dims.size() != 4 || w.f.empty()) fail(EINVAL, ctx, ": weights must be a 4-D float tensor");
  Attrs a(n, ctx, {"kernel_shape", "strides", "pads", "auto_pad", "dilations", "group"});
  if (a.i("group", 1) != 1) fail(EOPNOTSUPP, ctx, ": group ", a.i("group", 1), " is not supported");
  if (w.dims[1] != dims_.c) {
    fail(EINVAL, ctx, ": weights expect ", w.dims[1], " input channels, input has ", dims_.c);
  }
  const uint32_t oc = to_u32(w.dims[0], ctx, "output channels");
  if (b && (b->f.size() != oc)) fail(EINVAL, ctx, ": bias has ", b->f.size(), " values, not ", oc);
  const Window win =
      window(n, ctx, to_u32(w.dims[2], ctx, "kernel"), to_u32(w.dims[3], ctx, "kernel"));
  const Dims out = kernels::window_output(dims_, win, oc);
  if (out.size() == 0) fail(EINVAL, ctx, ": kernel larger than the padded input");
  Layer &l = add_layer(LayerKind::kConv, n, out);
  l.win = win;
  l.weights = w.f;
  if (b) l.bias = b->f;
}

void Importer::pool(const onnx::NodeProto &n, const std::string &ctx, kernels::PoolKind kind) {
  need_rank(4, ctx);
  if (n.input_size() != 1) fail(EOPNOTSUPP, ctx, ": expects one input");
  const Window win = window(n, ctx, 0, 0);
  Attrs a(n, ctx,
          {"kernel_shape", "strides", "pads", "auto_pad", "dilations", "ceil_mode",
           "count_include_pad", "storage_order"});
  if (kind == kernels::PoolKind::kMax && a.has("count_include_pad")) {
    fail(EOPNOTSUPP, ctx, ": unsupported attribute 'count_include_pad'");
  }
  const Dims out = kernels::window_output(dims_, win, dims_.c);
  if (out.size() == 0) fail(EINVAL, ctx, ": window larger than the padded input");
  Layer &l = add_layer(LayerKind::kPool, n, out);
  l.win = win;
  l.pool = kind;
  l.count_include_pad = a.i("count_include_pad", 0) != 0;
}

// Adds a fully connected layer from weights laid out [out][in] (transposed = false) or
// [in][out] (transposed = true).
static std::vector<float> fc_weights(const Const &w, bool in_major) {
  if (!in_major) return w.f;
  const size_t k = static_cast<size_t>(w.dims[0]), nout = static_cast<size_t>(w.dims[1]);
  std::vector<float> t(w.f.size());
  for (size_t i = 0; i < k; ++i)
    for (size_t o = 0; o < nout; ++o)
      t[o * k + i] = w.f[i * nout + o];
  return t;
}

static std::vector<float> fc_bias(const Const &b, uint32_t nout, const std::string &ctx) {
  const bool shape_ok = (b.dims.size() == 1 && b.dims[0] == nout) ||
                        (b.dims.size() == 2 && b.dims[0] == 1 && b.dims[1] == nout);
  if (!shape_ok || b.f.size() != nout)
    fail(EINVAL, ctx, ": bias shape does not match ", nout, " outputs");
  return b.f;
}

void Importer::gemm(const onnx::NodeProto &n, const std::string &ctx) {
  need_rank(2, ctx);
  Attrs a(n, ctx, {"alpha", "beta", "transA", "transB"});
  if (a.i("transA", 0) != 0) fail(EOPNOTSUPP, ctx, ": transA=1 is not supported");
  const Const &w = floats(n, 1, ctx);
  const Const *b = optional_floats(n, 2, ctx);
  if (w.dims.size() != 2 || w.f.empty()) fail(EINVAL, ctx, ": B must be a 2-D float tensor");
  const bool trans_b = a.i("transB", 0) != 0;
  const int64_t k = trans_b ? w.dims[1] : w.dims[0];
  const uint32_t nout = to_u32(trans_b ? w.dims[0] : w.dims[1], ctx, "outputs");
  if (k != static_cast<int64_t>(dims_.size())) {
    fail(EINVAL, ctx, ": weights expect ", k, " inputs, previous layer gives ", dims_.size());
  }
  Layer &l = add_layer(LayerKind::kFc, n, {nout, 1, 1});
  rank_ = 2;
  l.weights = fc_weights(w, !trans_b);
  for (float &v : l.weights)
    v *= a.f("alpha", 1.0f);
  need_finite(l.weights, n.input(1), ctx, " times alpha");
  if (b) {
    l.bias = fc_bias(*b, nout, ctx);
    for (float &v : l.bias)
      v *= a.f("beta", 1.0f);
    need_finite(l.bias, n.input(2), ctx, " times beta");
  }
}

void Importer::matmul(const onnx::NodeProto &n, const std::string &ctx) {
  need_rank(2, ctx);
  Attrs a(n, ctx, {});
  const Const &w = floats(n, 1, ctx);
  if (w.dims.size() != 2 || w.f.empty()) fail(EINVAL, ctx, ": B must be a 2-D float tensor");
  if (w.dims[0] != static_cast<int64_t>(dims_.size())) {
    fail(EINVAL, ctx, ": weights expect ", w.dims[0], " inputs, previous layer gives ",
         dims_.size());
  }
  Layer &l = add_layer(LayerKind::kFc, n, {to_u32(w.dims[1], ctx, "outputs"), 1, 1});
  l.weights = fc_weights(w, true);
  last_matmul_ = true;
}

void Importer::add(const onnx::NodeProto &n, const std::string &ctx) {
  Attrs a(n, ctx, {});
  if (n.input_size() != 2) fail(EINVAL, ctx, ": expects two inputs");
  out_.layers.back().bias = fc_bias(floats(n, 1, ctx), dims_.c, ctx);
}

void Importer::relu(const onnx::NodeProto &n, const std::string &ctx) {
  Attrs a(n, ctx, {});
  Layer *last = out_.layers.empty() ? nullptr : &out_.layers.back();
  if (last && last->has_weights() && !last->relu) {
    last->relu = true;
    return;
  }
  add_layer(LayerKind::kRelu, n, dims_);
}

void Importer::flatten(const onnx::NodeProto &n, const std::string &ctx) {
  Attrs a(n, ctx, {"axis"});
  if (a.i("axis", 1) != 1) fail(EOPNOTSUPP, ctx, ": only axis=1 is supported");
  dims_ = {static_cast<uint32_t>(dims_.size()), 1, 1};
  rank_ = 2;
}

void Importer::reshape(const onnx::NodeProto &n, const std::string &ctx) {
  Attrs a(n, ctx, {"allowzero"});
  const Const &s = constant(n, 1, ctx);
  const auto feat = static_cast<int64_t>(dims_.size());
  const bool ok = s.i.size() == 2 && (s.i[0] == -1 || s.i[0] == 0) &&
                  (s.i[1] == feat || (s.i[1] == -1 && s.i[0] == 0));
  if (!ok) fail(EOPNOTSUPP, ctx, ": only a reshape to (batch, ", feat, ") is supported");
  dims_ = {static_cast<uint32_t>(feat), 1, 1};
  rank_ = 2;
}

}  // namespace

Graph import_onnx(const onnx::ModelProto &model) {
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception &e) {
    fail(EBADMSG, "invalid ONNX model: ", e.what());
  }
  return Importer(model).run();
}

Graph import_onnx_file(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) fail(errno ? errno : ENOENT, path, ": cannot open: ", std::strerror(errno));
  std::ostringstream buf;
  buf << f.rdbuf();
  onnx::ModelProto model;
  if (!model.ParseFromString(buf.str())) fail(EBADMSG, path, ": not a valid ONNX protobuf");
  try {
    return import_onnx(model);
  } catch (const Error &e) {
    fail(e.err(), path, ": ", e.what());
  }
}

}  // namespace zaccel
