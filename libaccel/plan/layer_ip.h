// A quantized layer as the IP that computes it: the identity block the IP reports, and the
// registers (requantization shift, activation parameter, alignment) its jobs pass.
#pragma once

#include <cstdint>
#include <vector>

#include "model/quantize.h"
#include "zaccel_drm.h"

namespace zaccel {

struct LayerIp {
  drm_zaccel_ip_id id{};
  int32_t shift = 0;       ///< DRM_ZACCEL_JOB_REG_SHIFT of every job
  uint32_t act_param = 0;  ///< DRM_ZACCEL_JOB_REG_ACT of every job
  int32_t align = 0;       ///< DRM_ZACCEL_JOB_REG_ALIGN of every job (an Add)
};

/// Lanes of an Add's IP: each reads two 16-bit values and writes one a cycle, 6 bytes, and a
/// region's two 64-bit HP ports move at most 16 bytes a cycle, so more lanes would wait.
inline constexpr uint32_t kAddLanes = 4;

/// The IP for `l`, whose input has `in_bits` bits. Weight mode is DRM_ZACCEL_WEIGHTS_* (NONE
/// for layers without weights, whatever is asked). A standalone ReLU becomes a 1x1 max pool
/// with fused ReLU. `lanes` 0 takes a default that fits one PYNQ-Z2 region.
LayerIp layer_ip(const QLayer &l, unsigned in_bits, uint32_t weight_mode, uint32_t lanes = 0);

/// Input bit width of every layer of `q`, in order.
std::vector<unsigned> layer_input_bits(const QModel &q);

}  // namespace zaccel
