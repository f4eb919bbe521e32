// A layer cut along its output channels: the filters [lo, hi) of a conv, or the outputs
// [lo, hi) of an fc, with their weights and bias. Each output channel is computed alone, so
// the slices' outputs, concatenated, are the whole layer's, bit for bit. Or cut along its
// input channels: each part sums the products of its channels, the parts pass the sums on in
// 64 bits, and the last adds the bias and requantizes once, so the result is the whole
// layer's, bit for bit, too.
#pragma once

#include <cstdint>
#include <utility>

#include "model/quantize.h"

namespace zaccel {

/// A grouped convolution is cut between its groups: the slice is the groups whose output
/// channels are [lo, hi), over their input channels (slice_inputs()). Throws Error (EINVAL) for
/// a layer without output channels to cut (pool, ReLU), an empty or out-of-range [lo, hi), or
/// one that cuts a group.
QLayer slice_out_channels(const QLayer &l, uint32_t lo, uint32_t hi);

/// The input channels [first, end) that output channels [lo, hi) of `l` read: all of them but
/// for a grouped convolution's.
std::pair<uint32_t, uint32_t> slice_inputs(const QLayer &l, uint32_t lo, uint32_t hi);

/// The part of `l` over input channels [lo, hi) (for an fc, the input features of those
/// channels): `first` takes no partial sums in, `last` adds the bias, requantizes and applies
/// the ReLU; the others pass their sums on. Throws Error (EINVAL) as slice_out_channels, and
/// EOPNOTSUPP for a grouped convolution (cut by output channel, it is cut by input too).
QLayer slice_in_channels(const QLayer &l, uint32_t lo, uint32_t hi, bool first, bool last);

}  // namespace zaccel
