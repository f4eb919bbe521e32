// A layer's IP as a partial bitstream: its contents (identity, embedded weights), built for a
// device's region.
#pragma once

#include <cstdint>
#include <vector>

#include "bitstream/partial.h"
#include "device/device.h"
#include "model/quantize.h"
#include "plan/layer_ip.h"

namespace zaccel {

/// The partial's contents for a region with `interface_id`: embedded weights included when the
/// IP embeds them.
emu::PartialContents layer_partial(const QLayer &l, const LayerIp &ip, uint32_t interface_id);

/// The partial of `l`'s IP for `region` of `dev` (interface ID and size from its parameters).
/// Throws Error (EFBIG if the IP does not fit) naming the layer.
std::vector<uint8_t> build_layer_partial(dev::Device &dev, const QLayer &l, const LayerIp &ip,
                                         uint32_t region);

}  // namespace zaccel
