// A layer cut along its output channels: the filters [lo, hi) of a conv, or the outputs
// [lo, hi) of an fc, with their weights and bias. Each output channel is computed alone, so
// the slices' outputs, concatenated, are the whole layer's, bit for bit.
#pragma once

#include <cstdint>

#include "model/quantize.h"

namespace zaccel {

/// Throws Error (EINVAL) for a layer without output channels to cut (pool, ReLU) or an empty
/// or out-of-range [lo, hi).
QLayer slice_out_channels(const QLayer &l, uint32_t lo, uint32_t hi);

}  // namespace zaccel
