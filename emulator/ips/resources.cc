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

/// BRAM18 for the line buffer of a sliding window: the rows its span covers but one, (kernel
/// height - 1) * dilation rows of the input.
Checked line_bram(const drm_zaccel_ip_id &id) {
  const uint64_t kh = id.kernel >> 16, dil = DRM_ZACCEL_IP_STEP_DILATION(id.stride >> 16);
  if (id.kind == DRM_ZACCEL_IP_FC || kh <= 1) return 0;
  return div_up(Checked(kh - 1) * dil * id.in_w * id.in_c * in_bits(id), kBram18Bits);
}

/// Output values per cycle of a conv or fc IP: its lanes over the MACs of one output.
uint64_t outputs_per_cycle(const drm_zaccel_ip_id &id) {
  const uint64_t groups = DRM_ZACCEL_IP_GROUPS_OF(id.flags);
  const Checked fan_in = id.kind == DRM_ZACCEL_IP_FC
                             ? Checked(id.in_c)
                             : Checked(id.in_c / groups) * (id.kernel >> 16) * (id.kernel & 0xffff);
  if (!fan_in.ok() || fan_in.value() == 0) return 1;
  return div_up(id.lanes, fan_in.value()).value();
}

/// BRAM18 for a table activation (kernels/activation.h): 4096 x 16 bits, four BRAM18 in
/// 1K x 18 mode, whose two ports give two lookups a cycle; as many copies as the output stage
/// needs lookups a cycle, halved.
Checked table_bram(const drm_zaccel_ip_id &id) {
  const uint32_t act = DRM_ZACCEL_IP_ACT_OF(id.flags);
  if (act != DRM_ZACCEL_ACT_TANH && act != DRM_ZACCEL_ACT_SIGMOID) return 0;
  return Checked(4) * div_up(outputs_per_cycle(id), 2).value();
}

}  // namespace

Resources ip_resources(const drm_zaccel_ip_id &id) {
  Resources r;
  const Checked lanes = id.lanes;
  const bool macs = id.kind == DRM_ZACCEL_IP_CONV || id.kind == DRM_ZACCEL_IP_FC;
  // An element-wise add lane: two 48-bit barrel shifters for the operands' alignment (three
  // levels of 4:1 multiplexers in LUT6, 144 LUT each), a 48-bit adder (48 LUT) and the
  // requantizer's shifter and saturation (~70 LUT); registers between the stages.
  const bool eltwise = id.kind == DRM_ZACCEL_IP_ELTWISE;
  // A leaky ReLU multiplies each negative output's accumulator by its slope: a DSP48E1 per
  // output a cycle.
  // A hard sigmoid's a * x + b is one DSP48E1 (multiply and add) per output a cycle; a hard
  // swish's v / 6 and v * h are two.
  const uint32_t act = DRM_ZACCEL_IP_ACT_OF(id.flags);
  // A PRelu's is the leaky ReLU's, its slope read with the channel's bias word.
  const uint32_t act_dsp = act == DRM_ZACCEL_ACT_LEAKY || act == DRM_ZACCEL_ACT_PRELU ||
                                   act == DRM_ZACCEL_ACT_HARDSIGMOID
                               ? 1
                           : act == DRM_ZACCEL_ACT_HARDSWISH ? 2
                                                             : 0;
  r.dsp = figure((macs ? lanes * dsp_per_lane(id) : 0) + Checked(outputs_per_cycle(id)) * act_dsp,
                 "DSP");
  r.bram18 = figure(weight_bram(id) + line_bram(id) + table_bram(id), "BRAM18");
  // Control, AXI-lite registers and DMA: a fixed part; each lane's adder tree, requantization
  // and (for pools) comparators: a part per lane; an HP-port master when weights stream.
  const bool master = id.weight_mode == DRM_ZACCEL_WEIGHTS_STREAMED ||
                      id.weight_mode == DRM_ZACCEL_WEIGHTS_BATCH_CACHED;
  // A clip: two 16-bit comparators and a multiplexer per output a cycle, some 40 LUT; the
  // hard sigmoid's and hard swish's clamps cost the same.
  const bool clip = act == DRM_ZACCEL_ACT_CLIP || act == DRM_ZACCEL_ACT_HARDSIGMOID ||
                    act == DRM_ZACCEL_ACT_HARDSWISH;
  r.lut = figure(Checked(900) +
                     lanes * (macs      ? 70
                              : eltwise ? 406
                                        : 25) +
                     (master ? 600 : 0) + (clip ? Checked(40) * outputs_per_cycle(id) : Checked(0)),
                 "LUT");
  r.ff = figure(Checked(1200) +
                    lanes * (macs      ? 95
                             : eltwise ? 200
                                       : 30) +
                    (master ? 800 : 0),
                "FF");
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
