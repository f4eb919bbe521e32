// The float reference path: the imported graph run in single precision, node by node, on
// tensors whose shapes are computed at run time from the inputs' (any batch). It is the
// accuracy reference against which the fixed-point path is measured.
#pragma once

#include <cstddef>
#include <vector>

#include "model/graph.h"
#include "model/tensor.h"

namespace zaccel {

/// Runs `g` on one tensor per graph input; returns one tensor per graph output. Throws Error
/// (EINVAL) naming the node where an input's shape does not fit.
std::vector<Tensor> run_float(const Graph &g, std::vector<Tensor> inputs);

/// Runs `n` images (NCHW floats) through a graph of one input; returns its first output's
/// values (n * g.output().size() for a graph that keeps the batch).
std::vector<float> run_float(const Graph &g, size_t n, const float *input);

/// Runs one conv, pool, fc or ReLU layer, or an activation fused into one (a PRelu's slopes per
/// channel as its weights: model/chain.h), over `n` images of l.in.
std::vector<float> run_float_layer(const Node &l, size_t n, const float *in);

}  // namespace zaccel
