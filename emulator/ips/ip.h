// The emulator's IPs: conv2d, pool, fully connected and element-wise cores of whatever dimensions
// and bit widths their identity block declares, computing with the bit-exact kernels. An IP is
// fully described by its drm_zaccel_ip_id; nothing here knows any particular network.
#pragma once

#include <cstddef>
#include <cstdint>

#include "zaccel_drm.h"

namespace zaccel::emu {

/// Checks that an identity block describes an IP the fabric can build: known kind, flags and
/// weight mode, bit widths in range, input, output and weight counts that fit in 64 bits,
/// output dimensions consistent with the input and window (the extent computed in 64 bits, not
/// narrowed), at least one lane. Throws Error (EINVAL) naming the first bad field.
void check_ip_id(const drm_zaccel_ip_id &id);

/// Values (16-bit) of one image's input and output. Like every count below, computed with
/// overflow checks: throws Error (EINVAL) if it overflows 64 bits (check_ip_id() refuses such
/// an identity).
uint64_t ip_input_count(const drm_zaccel_ip_id &id);
uint64_t ip_output_count(const drm_zaccel_ip_id &id);
/// Bytes of one image's output: 16-bit values, or 64-bit partial sums (DRM_ZACCEL_IP_ACC_OUT).
uint64_t ip_output_bytes(const drm_zaccel_ip_id &id);
/// Weights (16-bit) and bias values (64-bit) of the IP; 0 for pooling, no bias with ACC_OUT.
uint64_t ip_weight_count(const drm_zaccel_ip_id &id);
uint64_t ip_bias_count(const drm_zaccel_ip_id &id);

/// Clock cycles to process `images`: each image's operations spread over the IP's lanes,
/// plus the pipeline's fill once per invocation; UINT64_MAX if that overflows.
uint64_t ip_cycles(const drm_zaccel_ip_id &id, uint64_t images);

/// What one job hands the IP. `weights`/`bias` are null for pooling; `bias` may be null.
struct IpJob {
  uint32_t images = 0;
  int32_t shift = 0;       ///< requantization shift (conv and fc)
  uint32_t act_param = 0;  ///< DRM_ZACCEL_JOB_REG_ACT: DRM_ZACCEL_ACT_CLIP's hi << 16 | lo
  int32_t align = 0;       ///< DRM_ZACCEL_JOB_REG_ALIGN (element-wise IPs)
  const int16_t *in = nullptr;
  const int16_t *in2 = nullptr;  ///< an element-wise IP's second input
  int16_t *out = nullptr;
  const int16_t *weights = nullptr;
  const int64_t *bias = nullptr;
  const int64_t *acc_in = nullptr;  ///< partial sums to add (DRM_ZACCEL_IP_ACC_IN)
  int64_t *acc_out = nullptr;       ///< where its partial sums go (DRM_ZACCEL_IP_ACC_OUT)
};

/// Runs the IP over the job's images, bit-exact with the reference kernels.
void run_ip(const drm_zaccel_ip_id &id, const IpJob &job);

}  // namespace zaccel::emu
