// ONNX import: QuantizeLinear and DequantizeLinear (model/qdq.h). On a constant (PyTorch's
// fake-quantized weights, or int8 weights with their DequantizeLinear) the node is computed at
// import and its output is a constant; on a computed tensor it is a node of the graph. Scales
// are one per tensor, or one per index of an axis; codes are 8- or 16-bit integers (32-bit
// into a DequantizeLinear). Float8 and blocked quantization are refused.
#include <cerrno>
#include <cmath>

#include "model/onnx_attrs.h"
#include "model/onnx_ops.h"
#include "model/qdq.h"
#include "util/error.h"

namespace zaccel {
namespace {

struct QdqArgs {
  std::vector<float> scale, zero;  ///< one of each, or one per index along `axis`
  float lo = 0, hi = 255;          ///< the codes' range (QuantizeLinear)
  int32_t type = 0;                ///< the codes' ONNX data type
  size_t axis = 0;
};

// The range of codes of ONNX data type `type`; false for a type outside the supported set.
bool code_range(int32_t type, bool dequantize, float &lo, float &hi) {
  switch (type) {
    case onnx::TensorProto::INT8:
      lo = -128, hi = 127;
      return true;
    case onnx::TensorProto::UINT8:
      lo = 0, hi = 255;
      return true;
    case onnx::TensorProto::INT16:
      lo = -32768, hi = 32767;
      return true;
    case onnx::TensorProto::UINT16:
      lo = 0, hi = 65535;
      return true;
    case onnx::TensorProto::INT32:  // a bias, only dequantized
      lo = -2147483648.0f, hi = 2147483647.0f;
      return dequantize;
    default:
      return false;
  }
}

// The scales, zero points, code range and axis of `on` for an input of shape `x`.
QdqArgs read_args(ImportCtx &c, const OnnxNode &on, const std::vector<int64_t> &x,
                  bool dequantize) {
  Attrs a(on.n, on.ctx, {"axis", "saturate", "block_size", "output_dtype"});
  if (a.i("block_size", 0) != 0) fail(EOPNOTSUPP, on.ctx, ": blocked quantization");
  const Const &s = c.need_const(on, 1);
  if (!s.is_float || s.dims.size() > 1)
    fail(EINVAL, on.ctx, ": the scale must be a float scalar or 1-D tensor");
  QdqArgs q;
  q.scale = s.f;
  for (float v : q.scale)
    if (!(v > 0) || !std::isfinite(v)) fail(EINVAL, on.ctx, ": scale ", v, " is not positive");
  const Const *z = c.constant(on, 2);
  if (on.n.input_size() > 2 && !on.n.input(2).empty() && !z)
    fail(EOPNOTSUPP, on.ctx, ": the zero point must be a constant (initializer)");
  q.type = onnx::TensorProto::UINT8;  // ONNX's default without a zero point
  if (z) q.type = z->type;
  if (!z && a.i("output_dtype", 0) != 0) q.type = static_cast<int32_t>(a.i("output_dtype", 0));
  if (!code_range(q.type, dequantize, q.lo, q.hi)) {
    fail(EOPNOTSUPP, on.ctx, ": codes of ONNX data type ", q.type,
         " (supported: int8, uint8, int16, uint16)");
  }
  if (z) {
    if (z->is_float || z->size() != q.scale.size())
      fail(EINVAL, on.ctx, ": the zero point does not match the scale");
    q.zero.assign(z->i.begin(), z->i.end());
  } else {
    q.zero.assign(q.scale.size(), 0.0f);
  }
  if (q.scale.size() > 1) {
    q.axis = static_cast<size_t>(normalize_axis(a.i("axis", 1), x.size(), on.ctx));
    if (x[q.axis] == kBatch) fail(EOPNOTSUPP, on.ctx, ": scales along the batch");
    if (q.scale.size() != 1 && static_cast<size_t>(x[q.axis]) != q.scale.size())
      fail(EINVAL, on.ctx, ": ", q.scale.size(), " scales for axis ", q.axis, " of ", x[q.axis]);
  }
  return q;
}

// The constant `x` quantized (or dequantized) by `q`.
Const fold(const Const &x, const QdqArgs &q, bool dequantize) {
  Const out;
  out.dims = x.dims;
  const size_t n = x.size(), scales = q.scale.size();
  const size_t inner = scales > 1 ? qdq::inner_size(x.dims, q.axis) : 1;
  if (dequantize) {
    out.is_float = true;
    out.type = onnx::TensorProto::FLOAT;
    out.f.resize(n);
  } else {
    out.type = q.type;
    out.i.resize(n);
  }
  for (size_t i = 0; i < n; ++i) {
    const size_t k = scales > 1 ? (i / inner) % scales : 0;
    const float v = x.is_float ? x.f[i] : static_cast<float>(x.i[i]);
    if (dequantize)
      out.f[i] = qdq::dequantize(v, q.scale[k], q.zero[k]);
    else
      out.i[i] = static_cast<int64_t>(qdq::quantize(v, q.scale[k], q.zero[k], q.lo, q.hi));
  }
  return out;
}

void quantize_node(ImportCtx &c, const OnnxNode &on, bool dequantize) {
  if (on.n.input_size() < 2 || on.n.input_size() > 3)
    fail(EINVAL, on.ctx, ": expects 2 or 3 inputs, not ", on.n.input_size());
  const Const *x = c.constant(on, 0);
  const std::vector<int64_t> shape = x ? x->dims : c.in_shape(on, 0);
  const QdqArgs q = read_args(c, on, shape, dequantize);
  if (x) {
    if (!dequantize && !x->is_float) fail(EINVAL, on.ctx, ": quantizes a float tensor");
    c.set_const(on, fold(*x, q, dequantize));
    return;
  }
  Node &l = c.add(dequantize ? LayerKind::kDequantize : LayerKind::kQuantize, on, {c.value(on, 0)},
                  c.out_shape(on, 0));
  l.weights = q.scale;
  l.bias = q.zero;
  l.alpha = q.lo;
  l.beta = q.hi;
  l.axis = static_cast<int64_t>(q.axis);
}

void quantize_linear(ImportCtx &c, const OnnxNode &on) {
  quantize_node(c, on, false);
}
void dequantize_linear(ImportCtx &c, const OnnxNode &on) {
  quantize_node(c, on, true);
}

}  // namespace

void add_quant_translators(TranslatorMap &m) {
  m["QuantizeLinear"] = quantize_linear;
  m["DequantizeLinear"] = dequantize_linear;
}

}  // namespace zaccel
