#include "model/chain.h"

#include <algorithm>
#include <cerrno>
#include <map>

#include "util/error.h"

namespace zaccel {
namespace {

constexpr const char *kPath = "the fixed-point path";

// A reshape that leaves the batch in dimension 0 and every image's elements as they are: the
// bytes do not move.
bool is_view(const Graph &g, const Node &l) {
  if (l.kind != LayerKind::kReshape || l.inputs.size() != 1) return false;
  const Value &in = g.values[l.inputs[0]], &out = g.values[l.outputs[0]];
  return !in.shape.empty() && !out.shape.empty() && in.shape[0] == out.shape[0] &&
         in.per_image() == out.per_image();
}

bool same_window(const Window &a, const Window &b) {
  return a.pad_bottom == b.pad_bottom && a.pad_right == b.pad_right;
}

// Why the fixed-point IP cannot compute `l`, or null if it can.
const char *unsupported(const Node &l) {
  switch (l.kind) {
    case LayerKind::kConv:
      break;
    case LayerKind::kPool:
      if (l.count_include_pad && l.pool == kernels::PoolKind::kAverage &&
          !same_window(pool_window(l), l.win))
        return "a ceil_mode average counting the padding, with a window past the padding";
      break;
    case LayerKind::kFc:
    case LayerKind::kRelu:
    case LayerKind::kAdd:
    case LayerKind::kConcat:
    case LayerKind::kScaleShift:  // a depthwise 1x1 conv (scale_shift_conv())
      return nullptr;
    default:
      return "this operator";
  }
  const Window w = l.kind == LayerKind::kPool ? pool_window(l) : l.win;
  const uint64_t span_h = kernels::window_span(w.kh, w.dil_h);
  const uint64_t span_w = kernels::window_span(w.kw, w.dil_w);
  if (w.pad_top >= span_h || w.pad_bottom >= span_h || w.pad_left >= span_w ||
      w.pad_right >= span_w)
    return "padding as large as the window";
  // The IP's identity holds each in 8 bits (uapi DRM_ZACCEL_IP_STEP, the padding).
  if (w.stride_h > 255 || w.stride_w > 255 || w.dil_h > 256 || w.dil_w > 256)
    return "a stride above 255 or a dilation above 256";
  if (w.pad_top > 255 || w.pad_left > 255 || w.pad_bottom > 255 || w.pad_right > 255)
    return "padding above 255";
  return nullptr;
}

bool is_fusable_act(const Node &l) {
  return l.kind == LayerKind::kTanh || l.kind == LayerKind::kSigmoid ||
         l.kind == LayerKind::kClip || l.kind == LayerKind::kLeakyRelu ||
         l.kind == LayerKind::kPRelu || l.kind == LayerKind::kHardSigmoid ||
         l.kind == LayerKind::kHardSwish;
}

// PRelu `l` after a layer of `channels` output channels as an output stage: the LeakyRelu it
// is when its slope is one value; else a PRelu whose weights are the slopes, one per channel
// (the slope tensor must broadcast along axis 1: [C], [C, 1, 1] or [1, C, 1, 1] on images).
std::shared_ptr<const Node> prelu_stage(const Graph &g, const Node &l, uint32_t channels) {
  const Value &slope = g.values[l.inputs[1]];
  const Value &x = g.values[l.inputs[0]];
  if (!slope.is_const || slope.data.empty())
    fail(EOPNOTSUPP, l.where(), ": ", kPath, " takes a PRelu of constant slopes");
  auto stage = std::make_shared<Node>(l);
  stage->inputs = {l.inputs[0]};
  if (std::all_of(slope.data.begin(), slope.data.end(),
                  [&](float v) { return v == slope.data[0]; })) {
    stage->kind = LayerKind::kLeakyRelu;
    stage->alpha = slope.data[0];
    return stage;
  }
  // Right-aligned with the input, the slope's one dimension above 1 must be axis 1.
  size_t axis = 0, above = 0;
  for (size_t k = 0; k < slope.shape.size(); ++k) {
    if (slope.shape[k] == 1) continue;
    ++above;
    axis = x.shape.size() - slope.shape.size() + k;
  }
  if (above != 1 || axis != 1 || slope.data.size() != channels) {
    fail(EOPNOTSUPP, l.where(), ": ", kPath,
         " takes a PRelu of one slope, or of one per channel (axis 1)");
  }
  stage->weights = slope.data;
  return stage;
}

// A Softmax or LogSoftmax over all of each image's values.
bool is_image_softmax(const Graph &g, const Node &l) {
  if (l.kind != LayerKind::kSoftmax && l.kind != LayerKind::kLogSoftmax) return false;
  const size_t rank = g.values[l.inputs[0]].shape.size();
  return l.axis == 1 && (l.coerce_2d || rank == 2);
}

// A Concat the device computes by its operands' producers writing side by side into its
// tensor (QLayer::kConcat): along the channels, of layers' outputs (not the graph's input, nor
// another Concat's), each in no other Concat and named once.
void check_concat(const Graph &g, const Node &l, const std::vector<uint32_t> &srcs, const Chain &c,
                  const std::vector<bool> &in_concat) {
  const size_t rank = g.values[l.outputs[0]].shape.size();
  if (l.axis != 1 || (rank != 2 && rank != 4)) {
    fail(EOPNOTSUPP, l.where(), ": ", kPath,
         " concatenates only channels (axis 1) of tensors of rank 2 or 4");
  }
  for (size_t k = 0; k < srcs.size(); ++k) {
    const uint32_t t = srcs[k];
    if (t == 0 || c.layers[t - 1]->kind == LayerKind::kConcat || in_concat[t] ||
        std::count(srcs.begin(), srcs.end(), t) > 1) {
      fail(EOPNOTSUPP, l.where(), ": ", kPath,
           " concatenates only layers' outputs, each into one Concat, once (not the graph's"
           " input, nor a Concat's output)");
    }
  }
}

// Whether DequantizeLinear `dq` undoes QuantizeLinear `q`: the same scales, zero points and
// axis.
bool undoes(const Node &dq, const Node &q) {
  return dq.weights == q.weights && dq.bias == q.bias &&
         (q.weights.size() == 1 || dq.axis == q.axis);
}

}  // namespace

Window pool_window(const Node &l) {
  Window w = l.win;
  if (!l.ceil_mode) return w;
  // What the last window hangs past the bottom (right) padding: ceil_mode's extra row (column).
  const auto over = [](uint32_t out, uint32_t in, uint64_t span, uint32_t s, uint32_t pa,
                       uint32_t pb) -> uint32_t {
    const uint64_t reach = uint64_t{out - 1} * s + span, have = uint64_t{in} + pa + pb;
    return reach > have ? static_cast<uint32_t>(reach - have) : 0;
  };
  w.pad_bottom += over(l.out.h, l.in.h, kernels::window_span(w.kh, w.dil_h), w.stride_h, w.pad_top,
                       w.pad_bottom);
  w.pad_right += over(l.out.w, l.in.w, kernels::window_span(w.kw, w.dil_w), w.stride_w, w.pad_left,
                      w.pad_right);
  return w;
}

Node scale_shift_conv(const Graph &g, const Node &l) {
  Node c = l;
  c.kind = LayerKind::kConv;
  c.in = c.out = dims_of(g.values[l.inputs[0]].shape);
  c.win = Window{};
  c.group = c.in.c;  // weights [c][1][1][1]: the scales; bias: the shifts
  return c;
}

Chain chain_layers(const Graph &g) {
  if (g.inputs.size() != 1 || g.outputs.size() != 1) {
    fail(EOPNOTSUPP, kPath, " takes a graph of one input and one output, not ", g.inputs.size(),
         " and ", g.outputs.size());
  }
  std::vector<size_t> readers(g.values.size());
  for (const Node &l : g.nodes)
    for (ValueId v : l.inputs)
      ++readers[v];
  ++readers[g.outputs[0]];
  Chain c;
  std::map<ValueId, uint32_t> tensor = {{g.inputs[0], 0}};  // 0 the input, k + 1 layer k's
  std::vector<bool> read(1), in_concat(1);                  // per tensor
  ValueId host_in = 0;
  std::map<ValueId, const Node *> codes;  // QuantizeLinear outputs: their DequantizeLinear next
  for (const Node &l : g.nodes) {
    std::vector<uint32_t> srcs;
    for (ValueId v : l.inputs) {
      if (g.values[v].is_const) continue;
      const auto q = codes.find(v);
      if (q != codes.end() && (l.kind != LayerKind::kDequantize || !undoes(l, *q->second))) {
        fail(EOPNOTSUPP, q->second->where(), ": ", kPath,
             " takes a QuantizeLinear only before a DequantizeLinear of its scale and zero point");
      }
      const auto t = tensor.find(v);
      if (t == tensor.end()) {
        fail(EOPNOTSUPP, l.where(), ": ", kPath, " does not compute its input '", g.values[v].name,
             "'");
      }
      srcs.push_back(t->second);
    }
    if (srcs.empty() || l.outputs.size() != 1) {
      fail(EOPNOTSUPP, l.where(), ": ", kPath, " takes nodes of one output and a computed input");
    }
    if (c.host_output) {
      fail(EOPNOTSUPP, c.host_output->where(), ": ", kPath,
           " runs a Softmax or LogSoftmax only as the last node, on the host");
    }
    const bool add = l.kind == LayerKind::kAdd, concat = l.kind == LayerKind::kConcat;
    if (concat ? srcs.size() != l.inputs.size() || srcs.size() < 2
               : srcs.size() != (add ? 2u : 1u) || (!add && g.values[l.inputs[0]].is_const)) {
      fail(EOPNOTSUPP, l.where(), ": ", kPath,
           " joins computed tensors only by an Add of two or a Concat");
    }
    if (concat) check_concat(g, l, srcs, c, in_concat);
    const ValueId out = l.outputs[0];
    const uint32_t t = srcs[0];
    if (l.kind == LayerKind::kQuantize) {
      codes[out] = &l;
      tensor[out] = t;
      continue;
    }
    if (l.kind == LayerKind::kDequantize) {
      const auto q = codes.find(l.inputs[0]);
      if (q == codes.end()) {
        fail(EOPNOTSUPP, l.where(), ": ", kPath,
             " takes a DequantizeLinear only after a QuantizeLinear (its input is float)");
      }
      c.pins.emplace_back(t, q->second);
      tensor[out] = t;
      continue;
    }
    if (is_view(g, l) || is_image_softmax(g, l)) {
      if (is_image_softmax(g, l)) {
        c.host_output = &l;
        host_in = l.inputs[0];
      }
      tensor[out] = t;
      continue;
    }
    const Node *prev = t ? c.layers[t - 1] : nullptr;
    const bool after_add = prev && prev->kind == LayerKind::kAdd && l.kind == LayerKind::kRelu;
    if (is_fusable_act(l) || after_add) {
      // Fused only where the layer's output goes nowhere else.
      const bool own = prev && readers[l.inputs[0]] == 1 && readers[prev->outputs[0]] == 1;
      const bool pinned =
          std::any_of(c.pins.begin(), c.pins.end(), [&](const auto &p) { return p.first == t; });
      if (!prev || !own || pinned ||
          !(prev->has_weights() || prev->kind == LayerKind::kScaleShift || after_add) ||
          prev->relu || c.acts[t - 1]) {
        fail(EOPNOTSUPP, l.where(), ": ", kPath,
             " fuses this activation only into a conv or fc layer right before it, whose output it"
             " alone reads, not quantized in between (a ReLU: also into an Add)");
      }
      if (l.kind == LayerKind::kPRelu) c.owned.push_back(prelu_stage(g, l, prev->out.c));
      c.acts[t - 1] = l.kind == LayerKind::kPRelu ? c.owned.back().get() : &l;
      tensor[out] = t;
      continue;
    }
    if (const char *why = unsupported(l))
      fail(EOPNOTSUPP, l.where(), ": ", kPath, " does not support ", why);
    if (const size_t rank = g.values[l.inputs[0]].shape.size();
        l.kind == LayerKind::kScaleShift && (rank < 2 || rank > 4)) {
      fail(EOPNOTSUPP, l.where(), ": ", kPath, " scales channels of tensors of rank 2 to 4, not ",
           rank);
    }
    if (add && g.values[l.inputs[0]].shape != g.values[l.inputs[1]].shape) {
      fail(EOPNOTSUPP, l.where(), ": ", kPath, " adds tensors of one shape, without broadcasting");
    }
    for (uint32_t s : srcs)
      read[s] = true;
    if (concat) {
      for (uint32_t s : srcs)
        in_concat[s] = true;
    }
    c.layers.push_back(&l);
    c.acts.push_back(nullptr);
    c.srcs.push_back(std::move(srcs));
    read.push_back(false);
    in_concat.push_back(false);
    tensor[out] = static_cast<uint32_t>(c.layers.size());
  }
  if (const auto q = codes.find(g.outputs[0]); q != codes.end()) {
    fail(EOPNOTSUPP, q->second->where(), ": ", kPath, " gives float outputs, not codes");
  }
  const auto end = tensor.find(g.outputs[0]);
  const uint32_t last = static_cast<uint32_t>(c.layers.size());
  if (end == tensor.end() || end->second != last ||
      (c.host_output && c.host_output->outputs[0] != g.outputs[0])) {
    fail(EOPNOTSUPP, "graph output '", g.values[g.outputs[0]].name, "': ", kPath,
         " takes a graph whose output is its last layer's");
  }
  if (last && c.layers.back()->kind == LayerKind::kConcat) {
    fail(EOPNOTSUPP, c.layers.back()->where(), ": ", kPath,
         " takes a Concat only before another layer, not as the last");
  }
  if (c.host_output && tensor[host_in] != last) {
    fail(EOPNOTSUPP, c.host_output->where(), ": ", kPath,
         " runs a Softmax or LogSoftmax on the host only over the last layer's output");
  }
  for (uint32_t k = 0; k < last; ++k) {
    if (!read[k] && k > 0)
      fail(EOPNOTSUPP, c.layers[k - 1]->where(), ": ", kPath, " has no use for its output");
  }
  return c;
}

}  // namespace zaccel
