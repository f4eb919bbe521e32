// Nodes for the activation tests (activation_test.cc, hard_activation_test.cc): a 2 x 2 fc and
// an activation after it, its alpha and beta given.
#pragma once

#include "model/graph.h"

namespace zaccel::test {

inline Node small_fc(const char *name) {
  Node l;
  l.kind = LayerKind::kFc;
  l.name = name;
  l.in = l.out = {2, 1, 1};
  l.weights = {1, -0.5f, 0.25f, 2};
  l.bias = {0.125f, 0};
  return l;
}

inline Node act_node(LayerKind kind, float alpha = 0, float beta = 0) {
  Node l;
  l.kind = kind;
  l.name = l.node = "act";
  l.op = layer_kind_name(kind);
  l.in = l.out = {2, 1, 1};
  l.alpha = alpha;
  l.beta = beta;
  return l;
}

}  // namespace zaccel::test
