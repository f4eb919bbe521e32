#include "ips/resources.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>

#include "ips/ip.h"
#include "util/checked.h"
#include "util/error.h"

namespace zaccel::emu {
namespace {

constexpr uint64_t kBram18Bits = 18 * 1024;

/// a / b rounded up, b > 0; without the overflow of (a + b - 1) / b.
Checked div_up(Checked a, uint64_t b) {
  return a.ok() ? Checked(a.value() / b + (a.value() % b != 0)) : a;
}

/// A figure as Resources holds it. An IP whose figure does not fit in 32 bits fits no region:
/// it is refused (EFBIG, as a partial whose IPs do not fit their region is), not wrapped.
uint32_t figure(Checked v, const char *what) {
  if (!v.at_most(UINT32_MAX)) fail(EFBIG, "IP needs more than 2^32 - 1 ", what);
  return static_cast<uint32_t>(v.value());
}

unsigned wbits(const drm_zaccel_ip_id &id) {
  return id.bits >> 16;
}
unsigned in_bits(const drm_zaccel_ip_id &id) {
  return (id.bits >> 8) & 0xFF;
}

/// DSP48E1 slices per MAC lane: its multiplier is 25 x 18 signed; a wider operand takes a
/// second slice.
uint64_t dsp_per_lane(const drm_zaccel_ip_id &id) {
  const unsigned a = wbits(id), b = in_bits(id);
  const bool one = (a <= 18 && b <= 25) || (a <= 25 && b <= 18);
  return one ? 1 : 2;
}

/// BRAM18 for on-chip weights: enough bits, and one read port per lane (two per BRAM18).
Checked weight_bram(const drm_zaccel_ip_id &id) {
  switch (id.weight_mode) {
    case DRM_ZACCEL_WEIGHTS_EMBEDDED:
    case DRM_ZACCEL_WEIGHTS_BATCH_CACHED: {
      const Checked bits = div_up(Checked(ip_weight_count(id)) * wbits(id), kBram18Bits);
      const uint64_t ports = div_up(id.lanes, 2).value();
      return bits.ok() ? Checked(std::max(bits.value(), ports)) : bits;
    }
    case DRM_ZACCEL_WEIGHTS_STREAMED:
      return 2;  // a double-buffered FIFO from the HP port
    default:
      return 0;
  }
}

/// BRAM18 for the line buffer of a sliding window: kernel height - 1 rows of the input.
Checked line_bram(const drm_zaccel_ip_id &id) {
  const uint64_t kh = id.kernel >> 16;
  if (id.kind == DRM_ZACCEL_IP_FC || kh <= 1) return 0;
  return div_up(Checked(kh - 1) * id.in_w * id.in_c * in_bits(id), kBram18Bits);
}

}  // namespace

Resources ip_resources(const drm_zaccel_ip_id &id) {
  Resources r;
  const Checked lanes = id.lanes;
  const bool macs = id.kind != DRM_ZACCEL_IP_POOL;
  r.dsp = figure(macs ? lanes * dsp_per_lane(id) : 0, "DSP");
  r.bram18 = figure(weight_bram(id) + line_bram(id), "BRAM18");
  // Control, AXI-lite registers and DMA: a fixed part; each lane's adder tree, requantization
  // and (for pools) comparators: a part per lane; an HP-port master when weights stream.
  const bool master = id.weight_mode == DRM_ZACCEL_WEIGHTS_STREAMED ||
                      id.weight_mode == DRM_ZACCEL_WEIGHTS_BATCH_CACHED;
  r.lut = figure(Checked(900) + lanes * (macs ? 70 : 25) + (master ? 600 : 0), "LUT");
  r.ff = figure(Checked(1200) + lanes * (macs ? 95 : 30) + (master ? 800 : 0), "FF");
  return r;
}

bool fits(const Resources &use, const Resources &budget) {
  return use.dsp <= budget.dsp && use.bram18 <= budget.bram18 && use.lut <= budget.lut &&
         use.ff <= budget.ff;
}

Resources operator+(const Resources &a, const Resources &b) {
  return {figure(Checked(a.dsp) + b.dsp, "DSP"), figure(Checked(a.bram18) + b.bram18, "BRAM18"),
          figure(Checked(a.lut) + b.lut, "LUT"), figure(Checked(a.ff) + b.ff, "FF")};
}

}  // namespace zaccel::emu
