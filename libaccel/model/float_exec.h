// The float reference path: the imported graph run in single precision, the accuracy
// reference against which the fixed-point path is measured.
#pragma once

#include <cstddef>
#include <vector>

#include "model/graph.h"

namespace zaccel {

/// Runs `n` images (NCHW floats) through `g`; returns n * g.output().size() values.
std::vector<float> run_float(const Graph &g, size_t n, const float *input);

/// Runs one layer over `n` images.
std::vector<float> run_float_layer(const Layer &l, size_t n, const float *in);

}  // namespace zaccel
