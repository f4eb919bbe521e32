#include "model/fuse.h"

#include <cerrno>
#include <cmath>
#include <map>

#include "util/error.h"

namespace zaccel {
namespace {

class Fuser {
 public:
  explicit Fuser(Graph &g) : g_(g), dead_(g.nodes.size(), false) {
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      for (ValueId v : g.nodes[i].inputs)
        ++readers_[v];
      for (ValueId v : g.nodes[i].outputs)
        producer_[v] = i;
    }
    for (ValueId v : g.outputs)
      ++readers_[v];
  }

  void run() {
    for (size_t i = 0; i < g_.nodes.size(); ++i) {
      Node &y = g_.nodes[i];
      switch (y.kind) {
        case LayerKind::kScaleShift:
          fold_scale_shift(i);
          break;
        case LayerKind::kConv:
        case LayerKind::kPool:
          fuse_pad(y);
          break;
        case LayerKind::kAdd:
          fuse_bias(i);
          break;
        case LayerKind::kRelu:
          fuse_relu(i);
          break;
        case LayerKind::kMul:
          fuse_hard_swish(i);
          break;
        default:
          break;
      }
    }
    std::vector<Node> kept;
    std::map<LayerKind, int> counts;
    for (size_t i = 0; i < g_.nodes.size(); ++i) {
      if (dead_[i]) continue;
      Node &l = g_.nodes[i];
      l.name = std::string(layer_kind_name(l.kind)) + std::to_string(++counts[l.kind]);
      kept.push_back(std::move(l));
    }
    g_.nodes = std::move(kept);
  }

 private:
  // The node that alone reads value `v` from `x` may merge into x: its producer, if `v` has
  // no other reader and is no graph output.
  Node *sole_producer(ValueId v) {
    const auto p = producer_.find(v);
    if (p == producer_.end() || readers_[v] != 1 || g_.values[v].is_const) return nullptr;
    return &g_.nodes[p->second];
  }

  // y disappears into x: x now gives y's output.
  void absorb(Node &x, size_t y) {
    x.outputs = g_.nodes[y].outputs;
    producer_[x.outputs[0]] = producer_[g_.nodes[y].inputs[0]];
    dead_[y] = true;
  }

  void fold_scale_shift(size_t i) {
    Node &y = g_.nodes[i];
    Node *x = sole_producer(y.inputs[0]);
    if (!x || !x->has_weights() || x->relu || x->out.c != y.weights.size()) return;
    const size_t per = x->weights.size() / x->out.c;
    if (x->bias.empty()) x->bias.assign(x->out.c, 0.0f);
    for (size_t o = 0; o < x->out.c; ++o) {
      for (size_t j = 0; j < per; ++j)
        x->weights[o * per + j] *= y.weights[o];
      x->bias[o] = x->bias[o] * y.weights[o] + y.bias[o];
    }
    for (const auto *v : {&x->weights, &x->bias})
      for (float f : *v)
        if (!std::isfinite(f))
          fail(EINVAL, y.where(), ": folded into ", x->where(), ", gives a weight of ", f);
    absorb(*x, i);
  }

  void fuse_pad(Node &y) {
    Node *x = sole_producer(y.inputs[0]);
    if (!x || x->kind != LayerKind::kPad || x->pad_value != 0 || x->shape.size() != 8) return;
    const std::vector<int64_t> &p = x->shape;  // [N, C, H, W] begins, then ends
    if (p[0] || p[1] || p[4] || p[5]) return;
    if (y.kind == LayerKind::kPool) {
      if (y.pool != kernels::PoolKind::kAverage || y.ceil_mode) return;
      const Window &w = y.win;
      const bool own_pads = w.pad_top || w.pad_left || w.pad_bottom || w.pad_right;
      if (own_pads && !y.count_include_pad) return;
      y.count_include_pad = true;  // the padded zeros are elements of the window
    }
    y.win.pad_top += static_cast<uint32_t>(p[2]);
    y.win.pad_left += static_cast<uint32_t>(p[3]);
    y.win.pad_bottom += static_cast<uint32_t>(p[6]);
    y.win.pad_right += static_cast<uint32_t>(p[7]);
    y.inputs[0] = x->inputs[0];
    y.in = x->in;
    dead_[static_cast<size_t>(x - g_.nodes.data())] = true;
  }

  void fuse_bias(size_t i) {
    Node &y = g_.nodes[i];
    for (int k : {0, 1}) {
      const Value &b = g_.values[y.inputs[static_cast<size_t>(1 - k)]];
      Node *x = sole_producer(y.inputs[static_cast<size_t>(k)]);
      if (!b.is_const || !x || x->kind != LayerKind::kFc || !x->bias.empty() || x->relu) continue;
      const bool row = (b.shape.size() == 1 && b.shape[0] == x->out.c) ||
                       (b.shape.size() == 2 && b.shape[0] == 1 && b.shape[1] == x->out.c);
      if (!row) continue;
      for (size_t j = 0; j < b.data.size(); ++j)
        if (!std::isfinite(b.data[j]))
          fail(EINVAL, y.where(), ": tensor '", b.name, "' holds ", b.data[j], " at index ", j,
               " (weights and biases must be finite)");
      x->bias = b.data;
      y.inputs[0] = y.inputs[static_cast<size_t>(k)];
      absorb(*x, i);
      return;
    }
  }

  void fuse_relu(size_t i) {
    Node *x = sole_producer(g_.nodes[i].inputs[0]);
    if (!x || !x->has_weights() || x->relu) return;
    x->relu = true;
    absorb(*x, i);
  }

  // x * HardSigmoid(x) with PyTorch's alpha 1/6 and beta 1/2, as opsets before 14 (which has
  // HardSwish) export nn.Hardswish: one HardSwish of x.
  void fuse_hard_swish(size_t i) {
    Node &y = g_.nodes[i];
    for (size_t k : {0u, 1u}) {
      Node *h = sole_producer(y.inputs[k]);
      if (!h || h->kind != LayerKind::kHardSigmoid || h->inputs[0] != y.inputs[1 - k] ||
          std::fabs(h->alpha - 1.0f / 6) > 1e-6f || std::fabs(h->beta - 0.5f) > 1e-6f)
        continue;
      y.kind = LayerKind::kHardSwish;
      y.inputs = {h->inputs[0]};
      dead_[static_cast<size_t>(h - g_.nodes.data())] = true;
      return;
    }
  }

  Graph &g_;
  std::vector<bool> dead_;
  std::map<ValueId, size_t> readers_;
  std::map<ValueId, size_t> producer_;
};

}  // namespace

void fuse_layers(Graph &g) {
  Fuser(g).run();
}

}  // namespace zaccel
