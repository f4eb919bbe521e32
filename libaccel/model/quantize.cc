#include "model/quantize.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <map>

#include "kernels/fixed.h"
#include "model/calibrate.h"
#include "model/chain.h"
#include "model/float_ops.h"
#include "util/error.h"

namespace zaccel {
namespace {

constexpr int kMinFrac = -16, kMaxFrac = 32;

void check_bits(unsigned bits, const std::string &what) {
  if (bits < kernels::kMinBits || bits > kernels::kMaxBits) {
    fail(EINVAL, what, ": bit width ", bits, " out of range ", kernels::kMinBits, "..",
         kernels::kMaxBits);
  }
}

// A NaN or an infinity has no fixed-point code (and NaN no defined conversion to an integer).
void need_finite(const Node &l, const char *what, const std::vector<float> &v) {
  for (size_t i = 0; i < v.size(); ++i)
    if (!std::isfinite(v[i])) fail(EINVAL, "layer ", l.name, ": ", what, " ", i, " is ", v[i]);
}

std::vector<int16_t> quantize_array(const std::vector<float> &v, int frac, unsigned bits) {
  std::vector<int16_t> q(v.size());
  for (size_t i = 0; i < v.size(); ++i)
    q[i] = quantize_value(v[i], frac, bits);
  return q;
}

// The output stage of a layer with accumulator frac bits `acc_frac` whose output (after `act`,
// if not null) ranges over the calibration set to out_max; sets q.abits and q.afrac.
kernels::Requant output_stage(const Node &l, const Node *act, unsigned abits, int acc_frac,
                              double out_max, const int *forced, QLayer &q) {
  q.abits = abits;
  kernels::Requant rq{0, abits, l.relu};
  const int frac = forced ? *forced : choose_frac(out_max, abits);
  if (!act) {
    q.afrac = frac;
    rq.shift = acc_frac - q.afrac;
    return rq;
  }
  if (act->kind == LayerKind::kClip) {
    // The bounds rounded to the output format (half up), as the data is.
    q.afrac = frac;
    rq.shift = acc_frac - q.afrac;
    rq.act = kernels::Act::kClip;
    rq.lo = quantize_value(act->alpha, q.afrac, abits);
    rq.hi = quantize_value(act->beta, q.afrac, abits);
    if (rq.lo > rq.hi) fail(EINVAL, act->where(), ": min ", act->alpha, " above max ", act->beta);
    return rq;
  }
  if (act->kind == LayerKind::kLeakyRelu) {
    // The slope in Q0.15, rounded half up; the output format as without it.
    if (!(act->alpha >= 0) || act->alpha >= 1)
      fail(EOPNOTSUPP, act->where(),
           ": the fixed-point path takes a LeakyRelu alpha in [0, 1), not ", act->alpha);
    q.afrac = frac;
    rq.shift = acc_frac - q.afrac;
    rq.act = kernels::Act::kLeaky;
    rq.slope = static_cast<uint16_t>(
        std::min(std::floor(std::ldexp(double{act->alpha}, kernels::kLeakyFrac) + 0.5), 32767.0));
    return rq;
  }
  if (act->kind == LayerKind::kPRelu) {
    // A leaky ReLU per channel, each slope in Q0.15 as LeakyRelu's; quantize_weights() puts
    // them in the bias words (kernels::prelu_word()).
    for (float a : act->weights)
      if (!(a >= 0) || a >= 1)
        fail(EOPNOTSUPP, act->where(), ": the fixed-point path takes PRelu slopes in [0, 1), not ",
             a);
    q.afrac = frac;
    rq.shift = acc_frac - q.afrac;
    rq.act = kernels::Act::kPRelu;
    return rq;
  }
  if (act->kind == LayerKind::kHardSwish) {
    // The requantized v must reach -3, below which the hard swish is 0: at most abits - 3
    // fractional bits (a range of +-4). Its output is v's format.
    q.afrac = forced ? frac : std::min(frac, static_cast<int>(abits) - 3);
    if (q.afrac > static_cast<int>(abits) - 3 || std::abs(q.afrac) > kernels::kHardSwishMaxFrac)
      fail(EOPNOTSUPP, act->where(), ": no hard swish output with ", q.afrac,
           " fractional bits in ", abits, " bits (the range must reach -3)");
    rq.shift = acc_frac - q.afrac;
    rq.act = kernels::Act::kHardSwish;
    rq.frac = q.afrac;
    return rq;
  }
  if (act->kind == LayerKind::kHardSigmoid) {
    // a and b in Q0.15, rounded half up; the tables' formats, whose input range [-8, 8) must
    // hold both of the points where the clamp starts.
    const double a = act->alpha, b = act->beta;
    if (!(a > 0 && a < 1 && b >= -1 && b < 1 && 8 * a >= std::max(b, 1 - b)))
      fail(EOPNOTSUPP, act->where(), ": the fixed-point path takes a HardSigmoid with alpha in",
           " (0, 1), beta in [-1, 1) and both clamp points within [-8, 8), not alpha ", a,
           ", beta ", b);
    rq.act = kernels::Act::kHardSigmoid;
    rq.slope = static_cast<uint16_t>(std::min(std::floor(std::ldexp(a, 15) + 0.5), 32767.0));
    rq.offset = static_cast<int16_t>(std::min(std::floor(std::ldexp(b, 15) + 0.5), 32767.0));
    rq.shift = acc_frac - kernels::kActInFrac;
    q.afrac = static_cast<int>(abits) - 1;
    return rq;
  }
  // A table: input at kActInFrac fractional bits, output in (-1, 1) at abits - 1.
  rq.act = act->kind == LayerKind::kTanh ? kernels::Act::kTanh : kernels::Act::kSigmoid;
  rq.shift = acc_frac - kernels::kActInFrac;
  q.afrac = static_cast<int>(abits) - 1;
  return kernels::with_table(rq);
}

// Weights, bias and requantization of a conv or fc layer whose input has format (in_bits,
// in_frac) and whose output (after `act`, if not null) ranges over the calibration set to
// out_max.
void quantize_weights(const Node &l, const Node *act, const LayerBits &b, unsigned in_bits,
                      int in_frac, double out_max, const int *forced, QLayer &q) {
  need_finite(l, "weight", l.weights);
  need_finite(l, "bias", l.bias);
  q.wbits = b.wbits;
  q.wfrac = choose_frac(max_abs(l.weights.data(), l.weights.size()), b.wbits);
  q.weights = quantize_array(l.weights, q.wfrac, b.wbits);
  const int acc_frac = q.wfrac + in_frac;
  const int64_t acc_limit = (int64_t{1} << (kernels::kAccBits - 1)) - 1;
  for (float v : l.bias) {
    const double scaled = std::floor(double{v} * std::ldexp(1.0, acc_frac) + 0.5);
    q.bias.push_back(
        static_cast<int64_t>(std::clamp(scaled, double(-acc_limit), double(acc_limit))));
  }
  // The fabric's accumulator must hold the worst case: every product at full scale.
  const double fan_in = l.kind == LayerKind::kConv ? double(l.in.c / l.group) * l.win.kh * l.win.kw
                                                   : double(l.in.size());
  int64_t bias_max = 0;
  for (int64_t v : q.bias)
    bias_max = std::max(bias_max, v < 0 ? -v : v);
  const double worst =
      fan_in * std::ldexp(1.0, int(b.wbits) - 1) * std::ldexp(1.0, int(in_bits) - 1) +
      double(bias_max);
  if (worst > double(acc_limit)) {
    fail(EINVAL, "layer ", l.name, ": ", fan_in, " products of ", b.wbits, "-bit weights and ",
         in_bits, "-bit inputs could exceed the ", kernels::kAccBits, "-bit accumulator");
  }
  const kernels::Requant rq = output_stage(l, act, b.abits, acc_frac, out_max, forced, q);
  if (rq.act == kernels::Act::kPRelu) {
    // Each channel's bias word carries its slope (uapi DRM_ZACCEL_ACT_PRELU); the bias is
    // within the 48-bit accumulator, as clamped above.
    q.bias.resize(l.out.c, 0);
    for (size_t c = 0; c < q.bias.size(); ++c) {
      const double s = std::floor(std::ldexp(double{act->weights[c]}, kernels::kLeakyFrac) + 0.5);
      q.bias[c] = kernels::prelu_word(q.bias[c], static_cast<uint16_t>(std::min(s, 32767.0)));
    }
  }
  if (l.kind == LayerKind::kConv)
    q.conv = {l.in, l.out.c, l.win, rq, l.group};
  else
    q.fc = {static_cast<uint32_t>(l.in.size()), l.out.c, rq};
}

// An Add of operands in ql's format (abits, afrac: the first's) and `b` (bits, frac), its
// output (after a fused ReLU, if `relu` is not null) ranging over `out`: the rule of
// quantize()'s comment.
void quantize_add(const Node &l, const Node *relu, std::pair<unsigned, int> b, double out_max,
                  const int *forced, QLayer &ql) {
  if (b.first != ql.abits) {
    fail(EOPNOTSUPP, l.where(), ": the fixed-point path adds operands of one bit width, not ",
         ql.abits, " and ", b.first);
  }
  const int align = ql.afrac - b.second;
  if (align < -kernels::kMaxAlign || align > kernels::kMaxAlign) {
    fail(EOPNOTSUPP, l.where(), ": its operands' scales, 2^-", ql.afrac, " and 2^-", b.second,
         ", are more than 2^", kernels::kMaxAlign, " apart");
  }
  const int sum_frac = std::max(ql.afrac, b.second);
  ql.afrac = forced ? *forced : choose_frac(out_max, ql.abits);
  ql.add = {align, {sum_frac - ql.afrac, ql.abits, relu != nullptr}};
}

// The format a QuantizeLinear and DequantizeLinear pair keeps exactly: its codes' bits (an
// unsigned range takes one more: codes 0..255 in 9 signed bits) and its scale's fractional
// bits. Throws Error (EOPNOTSUPP) naming the node for what a fixed-point format cannot hold
// exactly: a scale per channel, a zero point, a scale that is not a power of two.
struct Pin {
  unsigned bits = 0;
  int frac = 0;
  bool is_unsigned = false;
  const Node *q = nullptr;
};

Pin pin_of(const Node &q) {
  if (q.weights.size() != 1) {
    fail(EOPNOTSUPP, q.where(), ": ", q.weights.size(),
         " scales; the fixed-point path has one format per tensor");
  }
  if (q.bias[0] != 0) {
    fail(EOPNOTSUPP, q.where(), ": zero point ", q.bias[0],
         "; fixed point is symmetric (zero point 0)");
  }
  int e = 0;
  if (std::frexp(q.weights[0], &e) != 0.5f) {
    fail(EOPNOTSUPP, q.where(), ": scale ", q.weights[0],
         " is not a power of two; the fixed-point path keeps a QuantizeLinear's scale exactly and"
         " does not requantize it");
  }
  Pin p{0, 1 - e, q.alpha == 0, &q};  // scale 2^(e - 1)
  if (q.alpha == -128 && q.beta == 127)
    p.bits = 8;
  else if (q.alpha == 0 && q.beta == 255)
    p.bits = 9;
  else if (q.alpha == -32768 && q.beta == 32767)
    p.bits = 16;
  if (p.bits == 0 || p.frac < kMinFrac || p.frac > kMaxFrac) {
    fail(EOPNOTSUPP, q.where(), ": codes ", q.alpha, "..", q.beta, " at scale 2^", -p.frac,
         "; the fixed-point path keeps int8, uint8 and int16 codes at scales 2^", -kMaxFrac, "..2^",
         -kMinFrac);
  }
  return p;
}

// Whether `ql`'s output is never negative: a fused ReLU, or a Clip from zero or above.
bool non_negative(const QLayer &ql) {
  const kernels::Requant *rq = ql.kind == LayerKind::kConv  ? &ql.conv.rq
                               : ql.kind == LayerKind::kFc  ? &ql.fc.rq
                               : ql.kind == LayerKind::kAdd ? &ql.add.rq
                                                            : nullptr;
  return rq && (rq->relu || (rq->act == kernels::Act::kClip && rq->lo >= 0));
}

// Checks that `ql` gives pin `p`'s format, or why the fixed-point path cannot.
void check_pin(const QLayer &ql, const Pin &p) {
  if (ql.abits != p.bits || ql.afrac != p.frac) {
    fail(EOPNOTSUPP, p.q->where(), ": the fixed-point path gives ", ql.name, " ", ql.abits,
         " bits at scale 2^", -ql.afrac,
         " (it keeps its input's format, a table's, or a"
         " Concat's), not the QuantizeLinear's ",
         p.bits, " bits at 2^", -p.frac);
  }
  if (p.is_unsigned && !non_negative(ql)) {
    fail(EOPNOTSUPP, p.q->where(), ": unsigned codes of ", ql.name,
         ", whose output is not clamped at zero by a ReLU");
  }
}

// Whether the operands of every Concat of `q` share a format; if not, what their producers
// must requantize to (into `forced`, by layer). Throws Error (EOPNOTSUPP) where an operand of
// another format comes from a layer that keeps its input's format or has a table's.
bool unify_concats(const Chain &c, const QModel &q, std::map<size_t, int> &forced) {
  bool changed = false;
  for (size_t i = 0; i < q.layers.size(); ++i) {
    const QLayer &cat = q.layers[i];
    if (cat.kind != LayerKind::kConcat) continue;
    for (uint32_t t : cat.src) {
      const QLayer &p = q.layers[t - 1];
      if (p.abits != cat.abits) {
        fail(EOPNOTSUPP, c.layers[i]->where(),
             ": the fixed-point path concatenates operands of one"
             " bit width, not ",
             p.abits, " (", p.name, ") and ", cat.abits);
      }
      if (p.afrac == cat.afrac) continue;
      const bool table =
          (p.kind == LayerKind::kConv && kernels::act_has_table_format(p.conv.rq.act)) ||
          (p.kind == LayerKind::kFc && kernels::act_has_table_format(p.fc.rq.act));
      if (table ||
          !(p.kind == LayerKind::kConv || p.kind == LayerKind::kFc || p.kind == LayerKind::kAdd)) {
        fail(EOPNOTSUPP, c.layers[i]->where(),
             ": the fixed-point path concatenates operands of "
             "one scale; ",
             p.name, "'s, 2^-", p.afrac, ", is not the others' 2^-", cat.afrac,
             ", and it keeps the scale it has");
      }
      forced[t - 1] = cat.afrac;
      changed = true;
    }
  }
  return changed;
}

// The layers of `chain` quantized, each conv, fc and Add's output to its calibrated scale
// (`peaks`) or, if it feeds a Concat, to `forced`'s.
QModel quantize_layers(const Graph &g, const Chain &chain, const QuantOptions &opts,
                       const std::vector<double> &peaks, int in_frac,
                       const std::map<size_t, int> &forced) {
  std::map<uint32_t, Pin> pins;  // by tensor
  for (const auto &[t, node] : chain.pins) {
    const Pin p = pin_of(*node);
    const auto [it, fresh] = pins.emplace(t, p);
    if (!fresh && (it->second.bits != p.bits || it->second.frac != p.frac))
      fail(EOPNOTSUPP, node->where(), ": a tensor quantized twice, to two formats");
  }
  QModel q;
  q.input = g.input();
  q.output = g.output();
  q.in_bits = opts.defaults.abits;
  q.in_frac = in_frac;
  if (const auto in = pins.find(0); in != pins.end()) {
    if (in->second.is_unsigned) {
      fail(EOPNOTSUPP, in->second.q->where(),
           ": unsigned codes of the graph's input, whose"
           " format is signed");
    }
    q.in_bits = in->second.bits;
    q.in_frac = in->second.frac;
  }
  if (chain.host_output) q.host_output = chain.host_output->kind;
  for (size_t i = 0; i < chain.layers.size(); ++i) {
    const Node &node = *chain.layers[i];
    const Node *fused = chain.acts[i];
    const std::vector<uint32_t> &src = chain.srcs[i];
    const auto [bits, frac] = q.tensor_format(src[0]);
    const auto f = forced.find(i);
    const auto pin = pins.find(static_cast<uint32_t>(i + 1));
    const Pin *pinned = pin == pins.end() ? nullptr : &pin->second;
    if (pinned && f != forced.end() && f->second != pinned->frac) {
      fail(EOPNOTSUPP, pinned->q->where(), ": its scale, 2^", -pinned->frac,
           ", is not that of the Concat its tensor joins, 2^", -f->second);
    }
    const int *force = pinned ? &pinned->frac : f == forced.end() ? nullptr : &f->second;
    const Node conv = node.kind == LayerKind::kScaleShift ? scale_shift_conv(g, node) : Node{};
    const Node &l = node.kind == LayerKind::kScaleShift ? conv : node;
    QLayer ql;
    ql.kind = l.kind;
    ql.name = l.name;
    ql.in = l.in;
    ql.out = l.out;
    ql.abits = bits;
    ql.afrac = frac;
    ql.src = src;
    if (l.has_weights()) {
      auto it = opts.per_layer.find(l.name);
      LayerBits b = it == opts.per_layer.end() ? opts.defaults : it->second;
      if (pinned) b.abits = pinned->bits;
      quantize_weights(l, fused, b, bits, frac, peaks[i], force, ql);
      if (force && ql.afrac != *force && !pinned) {
        fail(EOPNOTSUPP, l.where(), ": the fixed-point path cannot requantize its ", fused->where(),
             " to the scale of the Concat it feeds");
      }
    } else if (l.kind == LayerKind::kPool) {
      ql.pool = {l.in, pool_window(l), l.pool, l.count_include_pad};
    } else if (l.kind == LayerKind::kAdd) {
      ql.in = ql.out = dims_of(g.values[l.outputs[0]].shape);
      quantize_add(l, fused, q.tensor_format(src[1]), peaks[i], force, ql);
    } else if (l.kind == LayerKind::kConcat) {
      // The coarsest of the operands' scales; unify_concats() makes it all of theirs.
      ql.out = dims_of(g.values[l.outputs[0]].shape);
      for (uint32_t t : src)
        ql.afrac = std::min(ql.afrac, q.tensor_format(t).second);
    }
    if (pinned) check_pin(ql, *pinned);
    q.layers.push_back(std::move(ql));
  }
  return q;
}

}  // namespace

int choose_frac(double max_abs, unsigned bits) {
  const double top = std::ldexp(1.0, int(bits) - 1) - 1;
  if (!(max_abs > 0) || !std::isfinite(max_abs))
    return std::clamp(int(bits) - 1, kMinFrac, kMaxFrac);
  int f = int(bits) - 1 - int(std::ceil(std::log2(max_abs))) + 1;
  while (f > kMinFrac && std::floor(max_abs * std::ldexp(1.0, f) + 0.5) > top)
    --f;
  return std::clamp(f, kMinFrac, kMaxFrac);
}

int16_t quantize_value(double v, int frac, unsigned bits) {
  const double scaled = std::floor(v * std::ldexp(1.0, frac) + 0.5);
  const double lo = double(kernels::sat_min(bits)), hi = double(kernels::sat_max(bits));
  if (std::isnan(scaled)) return 0;
  return static_cast<int16_t>(std::clamp(scaled, lo, hi));
}

QModel quantize(const Graph &g, const QuantOptions &opts, size_t n_calib, const float *calib) {
  check_bits(opts.defaults.wbits, "weights");
  check_bits(opts.defaults.abits, "activations");
  for (const auto &[name, b] : opts.per_layer) {
    const Node *l = g.find(name);
    if (!l) fail(EINVAL, "unknown layer '", name, "'");
    if (!l->has_weights())
      fail(EINVAL, "layer ", name, " has no weights: it keeps its input's format");
    check_bits(b.wbits, "layer " + name + " weights");
    check_bits(b.abits, "layer " + name + " activations");
  }
  if (n_calib == 0 || !calib) fail(EINVAL, "quantization needs calibration images");
  const Chain chain = chain_layers(g);

  const std::vector<double> peaks = calibrate_peaks(g, chain, n_calib, calib);
  const int in_frac = choose_frac(max_abs(calib, n_calib * g.input().size()), opts.defaults.abits);
  // Concat operands share one format: their producers requantize to the coarsest of their
  // scales, found round by round (a scale only ever coarsens, so this ends).
  std::map<size_t, int> forced;
  for (;;) {
    QModel q = quantize_layers(g, chain, opts, peaks, in_frac, forced);
    if (!unify_concats(chain, q, forced)) return q;
  }
}

void dequantize_output(const QModel &q, size_t n, const int16_t *codes, float *out) {
  const size_t per = q.output.size();
  const float scale = std::ldexp(1.0f, -q.out_frac());
  for (size_t i = 0; i < n * per; ++i)
    out[i] = static_cast<float>(codes[i]) * scale;
  if (q.host_output == LayerKind::kRelu || n == 0) return;
  Node l;
  l.kind = q.host_output;
  l.axis = 1;
  l.name = l.node = l.op = "host output";
  const int64_t shape[2] = {static_cast<int64_t>(n), static_cast<int64_t>(per)};
  const Tensor t = float_ops::softmax(l, TensorView(shape, out));
  std::copy(t.data.begin(), t.data.end(), out);
}

std::vector<int16_t> quantize_input(const QModel &q, size_t n, const float *in) {
  std::vector<int16_t> out(n * q.input.size());
  for (size_t i = 0; i < out.size(); ++i)
    out[i] = quantize_value(in[i], q.in_frac, q.in_bits);
  return out;
}

}  // namespace zaccel
