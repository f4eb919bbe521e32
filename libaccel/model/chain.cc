#include "model/chain.h"

#include <cerrno>

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
      if (l.dil_h != 1 || l.dil_w != 1) return "dilated convolution";
      break;
    case LayerKind::kPool:
      if (l.dil_h != 1 || l.dil_w != 1) return "dilated pooling";
      if (l.count_include_pad && l.pool == kernels::PoolKind::kAverage &&
          !same_window(pool_window(l), l.win))
        return "a ceil_mode average counting the padding, with a window past the padding";
      break;
    case LayerKind::kFc:
    case LayerKind::kRelu:
    case LayerKind::kScaleShift:  // a depthwise 1x1 conv (scale_shift_conv())
      return nullptr;
    default:
      return "this operator";
  }
  const Window w = l.kind == LayerKind::kPool ? pool_window(l) : l.win;
  if (w.pad_top >= w.kh || w.pad_bottom >= w.kh || w.pad_left >= w.kw || w.pad_right >= w.kw)
    return "padding as large as the window";
  return nullptr;
}

bool is_fusable_act(const Node &l) {
  return l.kind == LayerKind::kTanh || l.kind == LayerKind::kSigmoid ||
         l.kind == LayerKind::kClip || l.kind == LayerKind::kLeakyRelu;
}

// A Softmax or LogSoftmax over all of each image's values.
bool is_image_softmax(const Graph &g, const Node &l) {
  if (l.kind != LayerKind::kSoftmax && l.kind != LayerKind::kLogSoftmax) return false;
  const size_t rank = g.values[l.inputs[0]].shape.size();
  return l.axis == 1 && (l.coerce_2d || rank == 2);
}

}  // namespace

Window pool_window(const Node &l) {
  Window w = l.win;
  if (!l.ceil_mode) return w;
  // What the last window hangs past the bottom (right) padding: ceil_mode's extra row (column).
  const auto over = [](uint32_t out, uint32_t in, uint32_t k, uint32_t s, uint32_t pa,
                       uint32_t pb) -> uint32_t {
    const uint64_t reach = uint64_t{out - 1} * s + k, have = uint64_t{in} + pa + pb;
    return reach > have ? static_cast<uint32_t>(reach - have) : 0;
  };
  w.pad_bottom += over(l.out.h, l.in.h, w.kh, w.stride_h, w.pad_top, w.pad_bottom);
  w.pad_right += over(l.out.w, l.in.w, w.kw, w.stride_w, w.pad_left, w.pad_right);
  return w;
}

Node scale_shift_conv(const Graph &g, const Node &l) {
  Node c = l;
  c.kind = LayerKind::kConv;
  c.in = c.out = dims_of(g.values[l.inputs[0]].shape);
  c.win = Window{};
  c.dil_h = c.dil_w = 1;
  c.group = c.in.c;  // weights [c][1][1][1]: the scales; bias: the shifts
  return c;
}

Chain chain_layers(const Graph &g) {
  if (g.inputs.size() != 1 || g.outputs.size() != 1) {
    fail(EOPNOTSUPP, kPath, " takes a graph of one input and one output, not ", g.inputs.size(),
         " and ", g.outputs.size());
  }
  Chain c;
  ValueId cur = g.inputs[0];
  for (const Node &l : g.nodes) {
    size_t data_inputs = 0;
    for (ValueId v : l.inputs)
      data_inputs += !g.values[v].is_const;
    if (l.inputs.empty() || l.inputs[0] != cur || data_inputs != 1 || l.outputs.size() != 1) {
      fail(EOPNOTSUPP, l.where(), ": ", kPath,
           " takes only a chain of layers, and this node branches or joins");
    }
    if (c.host_output) {
      fail(EOPNOTSUPP, c.host_output->where(), ": ", kPath,
           " runs a Softmax or LogSoftmax only as the last node, on the host");
    }
    cur = l.outputs[0];
    if (is_view(g, l)) continue;
    if (is_image_softmax(g, l)) {
      c.host_output = &l;
      continue;
    }
    if (is_fusable_act(l)) {
      const Node *prev = c.layers.empty() ? nullptr : c.layers.back();
      if (!prev || !(prev->has_weights() || prev->kind == LayerKind::kScaleShift) || prev->relu ||
          c.acts.back()) {
        fail(EOPNOTSUPP, l.where(), ": ", kPath,
             " fuses this activation only into a conv or fc layer right before it");
      }
      c.acts.back() = &l;
      continue;
    }
    if (const char *why = unsupported(l))
      fail(EOPNOTSUPP, l.where(), ": ", kPath, " does not support ", why);
    if (const size_t rank = g.values[l.inputs[0]].shape.size();
        l.kind == LayerKind::kScaleShift && (rank < 2 || rank > 4)) {
      fail(EOPNOTSUPP, l.where(), ": ", kPath, " scales channels of tensors of rank 2 to 4, not ",
           rank);
    }
    c.layers.push_back(&l);
    c.acts.push_back(nullptr);
  }
  if (cur != g.outputs[0]) {
    fail(EOPNOTSUPP, "graph output '", g.values[g.outputs[0]].name, "': ", kPath,
         " takes only a chain of layers ending at the output");
  }
  return c;
}

}  // namespace zaccel
