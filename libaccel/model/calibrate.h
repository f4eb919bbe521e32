// Calibration: the float activations of a fixed-point graph (model/chain.h) over calibration
// images, reduced to the largest magnitude of each layer's output, from which the quantizer
// chooses each tensor's power-of-two scale.
#pragma once

#include <cstddef>
#include <vector>

#include "model/chain.h"

namespace zaccel {

/// Per layer of `c`, the largest magnitude of its output (after its fused activation) over
/// `n` float images `in` of `g`'s input. Each tensor is freed after its last reader.
std::vector<double> calibrate_peaks(const Graph &g, const Chain &c, size_t n, const float *in);

/// The largest magnitude of `count` values.
double max_abs(const float *v, size_t count);

}  // namespace zaccel
