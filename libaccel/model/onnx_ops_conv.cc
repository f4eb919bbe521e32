// ONNX import: Conv, MaxPool, AveragePool, GlobalAveragePool, GlobalMaxPool,
// BatchNormalization and Pad.
#include <algorithm>
#include <cerrno>
#include <cmath>

#include "model/onnx_attrs.h"
#include "model/onnx_ops.h"
#include "util/error.h"

namespace zaccel {
namespace {

// A 2-D window's geometry from its attributes: kernel (kh, kw given by the weights, or 0 to
// read kernel_shape), strides, dilations, pads or auto_pad, ceil_mode; and the output size.
struct Geometry {
  Window win;
  uint32_t dil_h = 1, dil_w = 1;
  bool ceil_mode = false;
  uint32_t out_h = 0, out_w = 0;
};

uint32_t extent(int64_t in, int64_t k, int64_t d, int64_t s, int64_t pa, int64_t pb, bool ceil,
                const std::string &ctx) {
  const int64_t span = in + pa + pb - ((k - 1) * d + 1);
  if (span < 0) fail(EINVAL, ctx, ": kernel larger than the padded input");
  int64_t out = (ceil ? (span + s - 1) / s : span / s) + 1;
  // A last window that would start in the end padding is dropped (as PyTorch does).
  if (ceil && (out - 1) * s >= in + pa) --out;
  return static_cast<uint32_t>(out);
}

Geometry geometry(const OnnxNode &on, const Attrs &a, const Dims &in, uint32_t kh, uint32_t kw) {
  const std::string &ctx = on.ctx;
  Geometry g;
  Window &w = g.win;
  const auto ks = a.ints("kernel_shape", {kh, kw});
  if (ks.size() != 2 || (kh && ks[0] != kh) || (kw && ks[1] != kw))
    fail(EINVAL, ctx, ": kernel_shape disagrees with the weights or is not 2-D");
  w.kh = to_u32(ks[0], ctx, "kernel height");
  w.kw = to_u32(ks[1], ctx, "kernel width");
  const auto st = a.ints("strides", {1, 1});
  if (st.size() != 2) fail(EINVAL, ctx, ": strides must have 2 values");
  w.stride_h = to_u32(st[0], ctx, "stride");
  w.stride_w = to_u32(st[1], ctx, "stride");
  const auto dl = a.ints("dilations", {1, 1});
  if (dl.size() != 2) fail(EINVAL, ctx, ": dilations must have 2 values");
  g.dil_h = to_u32(dl[0], ctx, "dilation");
  g.dil_w = to_u32(dl[1], ctx, "dilation");
  if (!w.kh || !w.kw || !w.stride_h || !w.stride_w || !g.dil_h || !g.dil_w)
    fail(EINVAL, ctx, ": zero kernel, stride or dilation");
  const int64_t ceil_mode = a.i("ceil_mode", 0);
  if (ceil_mode != 0 && ceil_mode != 1) fail(EINVAL, ctx, ": ceil_mode ", ceil_mode);
  g.ceil_mode = ceil_mode == 1;
  const std::string pad_mode = a.s("auto_pad", "NOTSET");
  const int64_t eff_h = (int64_t{w.kh} - 1) * g.dil_h + 1,
                eff_w = (int64_t{w.kw} - 1) * g.dil_w + 1;
  if (pad_mode == "NOTSET") {
    const auto p = a.ints("pads", {0, 0, 0, 0});
    if (p.size() != 4) fail(EINVAL, ctx, ": pads must have 4 values");
    w.pad_top = to_u32(p[0], ctx, "pad");
    w.pad_left = to_u32(p[1], ctx, "pad");
    w.pad_bottom = to_u32(p[2], ctx, "pad");
    w.pad_right = to_u32(p[3], ctx, "pad");
  } else if (pad_mode == "SAME_UPPER" || pad_mode == "SAME_LOWER") {
    if (a.has("pads")) fail(EINVAL, ctx, ": both pads and auto_pad");
    auto same = [&](uint32_t n, int64_t k, uint32_t s, uint32_t &lo, uint32_t &hi) {
      const int64_t out = (int64_t{n} + s - 1) / s;
      const int64_t total = std::max<int64_t>((out - 1) * s + k - n, 0);
      const auto small = to_u32(total / 2, ctx, "pad"), big = to_u32(total - total / 2, ctx, "pad");
      lo = pad_mode == "SAME_UPPER" ? small : big;
      hi = pad_mode == "SAME_UPPER" ? big : small;
    };
    same(in.h, eff_h, w.stride_h, w.pad_top, w.pad_bottom);
    same(in.w, eff_w, w.stride_w, w.pad_left, w.pad_right);
  } else if (pad_mode != "VALID") {
    fail(EOPNOTSUPP, ctx, ": auto_pad '", pad_mode, "' is not supported");
  }
  g.out_h = extent(in.h, w.kh, g.dil_h, w.stride_h, w.pad_top, w.pad_bottom, g.ceil_mode, ctx);
  g.out_w = extent(in.w, w.kw, g.dil_w, w.stride_w, w.pad_left, w.pad_right, g.ceil_mode, ctx);
  if (g.ceil_mode &&
      g.out_h == extent(in.h, w.kh, g.dil_h, w.stride_h, w.pad_top, w.pad_bottom, false, ctx) &&
      g.out_w == extent(in.w, w.kw, g.dil_w, w.stride_w, w.pad_left, w.pad_right, false, ctx))
    g.ceil_mode = false;  // rounding up changes nothing here
  return g;
}

// The input of a 2-D window operator: [N, C, H, W].
Dims window_input(ImportCtx &c, const OnnxNode &on) {
  const std::vector<int64_t> s = c.in_shape(on, 0);
  if (s.size() != 4) {
    fail(EOPNOTSUPP, on.ctx, ": only 2-D windows over [N, C, H, W] are supported (input is ",
         s.size(), "-D)");
  }
  return dims_of(s);
}

// The output shape as computed here, checked against shape inference's.
std::vector<int64_t> window_output(ImportCtx &c, const OnnxNode &on, uint32_t ch,
                                   const Geometry &g) {
  std::vector<int64_t> shape = c.in_shape(on, 0);
  shape[1] = ch;
  shape[2] = g.out_h;
  shape[3] = g.out_w;
  const std::vector<int64_t> inferred = c.out_shape(on, 0);
  for (size_t k = 1; k < 4; ++k)
    if (inferred.size() != 4 || inferred[k] != shape[k])
      fail(EINVAL, on.ctx, ": output dimension ", k, " is ", shape[k],
           ", not what ONNX shape inference gives");
  return shape;
}

void conv(ImportCtx &c, const OnnxNode &on) {
  const Dims in = window_input(c, on);
  const Const &w = c.weights(on, 1);
  const Const *b = c.constant(on, 2) ? &c.weights(on, 2) : nullptr;
  if (!b && on.n.input_size() > 2 && !on.n.input(2).empty()) c.need_const(on, 2);
  if (w.dims.size() != 4 || w.f.empty())
    fail(EINVAL, on.ctx, ": weights must be a 4-D float tensor");
  Attrs a(on.n, on.ctx, {"kernel_shape", "strides", "pads", "auto_pad", "dilations", "group"});
  const int64_t group = a.i("group", 1);
  const uint32_t oc = to_u32(w.dims[0], on.ctx, "output channels");
  if (group < 1 || in.c % group != 0 || oc % group != 0)
    fail(EINVAL, on.ctx, ": group ", group, " does not divide ", in.c, " input and ", oc,
         " output channels");
  if (w.dims[1] * group != in.c) {
    fail(EINVAL, on.ctx, ": weights expect ", w.dims[1] * group, " input channels, input has ",
         in.c);
  }
  if (b && b->f.size() != oc) fail(EINVAL, on.ctx, ": bias has ", b->f.size(), " values, not ", oc);
  const Geometry g =
      geometry(on, a, in, to_u32(w.dims[2], on.ctx, "kernel"), to_u32(w.dims[3], on.ctx, "kernel"));
  if (g.ceil_mode) fail(EINVAL, on.ctx, ": Conv has no ceil_mode");
  Node &l = c.add(LayerKind::kConv, on, {c.value(on, 0)}, window_output(c, on, oc, g));
  l.win = g.win;
  l.win.dil_h = g.dil_h;
  l.win.dil_w = g.dil_w;
  l.group = static_cast<uint32_t>(group);
  l.weights = w.f;
  if (b) l.bias = b->f;
}

void pool(ImportCtx &c, const OnnxNode &on, kernels::PoolKind kind) {
  const Dims in = window_input(c, on);
  if (on.n.input_size() != 1) fail(EINVAL, on.ctx, ": expects one input");
  const bool max = kind == kernels::PoolKind::kMax;
  const Attrs a(on.n, on.ctx,
                max ? std::set<std::string>{"kernel_shape", "strides", "pads", "auto_pad",
                                            "dilations", "ceil_mode", "storage_order"}
                    : std::set<std::string>{"kernel_shape", "strides", "pads", "auto_pad",
                                            "ceil_mode", "count_include_pad"});
  if (on.n.output_size() > 1 && !on.n.output(1).empty())
    fail(EOPNOTSUPP, on.ctx, ": the Indices output is not supported");
  if (!a.has("kernel_shape")) fail(EINVAL, on.ctx, ": no kernel_shape");
  const Geometry g = geometry(on, a, in, 0, 0);
  Node &l = c.add(LayerKind::kPool, on, {c.value(on, 0)}, window_output(c, on, in.c, g));
  l.win = g.win;
  l.win.dil_h = g.dil_h;
  l.win.dil_w = g.dil_w;
  l.ceil_mode = g.ceil_mode;
  l.pool = kind;
  l.count_include_pad = a.i("count_include_pad", 0) != 0;
}

void max_pool(ImportCtx &c, const OnnxNode &on) {
  pool(c, on, kernels::PoolKind::kMax);
}
void average_pool(ImportCtx &c, const OnnxNode &on) {
  pool(c, on, kernels::PoolKind::kAverage);
}

// A global pool is a pool whose window is the whole plane.
void global_pool(ImportCtx &c, const OnnxNode &on) {
  const Dims in = window_input(c, on);
  Attrs a(on.n, on.ctx, {});
  std::vector<int64_t> shape = c.in_shape(on, 0);
  shape[2] = shape[3] = 1;
  Node &l = c.add(LayerKind::kPool, on, {c.value(on, 0)}, shape);
  l.win.kh = to_u32(in.h, on.ctx, "height");
  l.win.kw = to_u32(in.w, on.ctx, "width");
  l.pool =
      on.n.op_type() == "GlobalMaxPool" ? kernels::PoolKind::kMax : kernels::PoolKind::kAverage;
}

// Inference: y = (x - mean) / sqrt(var + epsilon) * scale + bias along axis 1, a scale and a
// shift per channel (folded into the conv or fc before it where there is one).
void batch_norm(ImportCtx &c, const OnnxNode &on) {
  Attrs a(on.n, on.ctx, {"epsilon", "momentum", "spatial", "training_mode", "is_test"});
  if (a.i("training_mode", 0) != 0) fail(EOPNOTSUPP, on.ctx, ": training_mode is not supported");
  if (a.i("spatial", 1) != 1) fail(EOPNOTSUPP, on.ctx, ": spatial=0 is not supported");
  const std::vector<int64_t> shape = c.in_shape(on, 0);
  if (shape.size() < 2) fail(EINVAL, on.ctx, ": input must have a channel dimension");
  const auto ch = static_cast<size_t>(shape[1]);
  const Const &scale = c.weights(on, 1), &bias = c.weights(on, 2), &mean = c.weights(on, 3),
              &var = c.weights(on, 4);
  for (const Const *t : {&scale, &bias, &mean, &var})
    if (t->f.size() != ch) fail(EINVAL, on.ctx, ": parameters must have ", ch, " values");
  const double eps = a.f("epsilon", 1e-5f);
  std::vector<float> mul(ch), add(ch);
  for (size_t k = 0; k < ch; ++k) {
    const double s = double{scale.f[k]} / std::sqrt(double{var.f[k]} + eps);
    mul[k] = static_cast<float>(s);
    add[k] = static_cast<float>(double{bias.f[k]} - double{mean.f[k]} * s);
  }
  need_finite(mul, on.n.input(1), on.ctx, " over sqrt(var + epsilon)");
  need_finite(add, on.n.input(2), on.ctx, " minus the scaled mean");
  Node &l = c.add(LayerKind::kScaleShift, on, {c.value(on, 0)}, shape);
  l.weights = std::move(mul);
  l.bias = std::move(add);
}

void pad(ImportCtx &c, const OnnxNode &on) {
  Attrs a(on.n, on.ctx, {"mode", "pads", "value"});
  if (a.s("mode", "constant") != "constant")
    fail(EOPNOTSUPP, on.ctx, ": mode '", a.s("mode", ""), "' is not supported (only constant)");
  const std::vector<int64_t> shape = c.in_shape(on, 0);
  std::vector<int64_t> pads;
  float value = 0;
  if (on.opset < 11) {
    pads = a.ints("pads", {});
    value = a.f("value", 0);
  } else {
    const Const &p = c.need_const(on, 1);
    if (p.is_float) fail(EINVAL, on.ctx, ": pads must be integers");
    pads = p.i;
    if (const Const *v = c.constant(on, 2)) {
      if (!v->is_float || v->f.size() != 1)
        fail(EOPNOTSUPP, on.ctx, ": the pad value must be a float scalar");
      value = v->f[0];
    } else if (on.n.input_size() > 2 && !on.n.input(2).empty()) {
      c.need_const(on, 2);
    }
    if (on.n.input_size() > 3) fail(EOPNOTSUPP, on.ctx, ": axes are not supported");
  }
  if (pads.size() != 2 * shape.size())
    fail(EINVAL, on.ctx, ": ", pads.size(), " pads for a ", shape.size(), "-D input");
  for (int64_t p : pads)
    if (p < 0 || p > 65535) fail(EOPNOTSUPP, on.ctx, ": pad ", p, " is not supported");
  if (!std::isfinite(value)) fail(EINVAL, on.ctx, ": the pad value ", value, " is not finite");
  Node &l = c.add(LayerKind::kPad, on, {c.value(on, 0)}, c.out_shape(on, 0));
  l.shape = pads;
  l.pad_value = value;
}

}  // namespace

void add_conv_translators(TranslatorMap &m) {
  m["Conv"] = conv;
  m["MaxPool"] = max_pool;
  m["AveragePool"] = average_pool;
  m["GlobalAveragePool"] = global_pool;
  m["GlobalMaxPool"] = global_pool;
  m["BatchNormalization"] = batch_norm;
  m["Pad"] = pad;
}

}  // namespace zaccel
