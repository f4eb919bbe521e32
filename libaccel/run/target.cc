#include "run/target.h"

#include <algorithm>

#include "device/region_desc.h"

namespace zaccel {

PlanTarget plan_target(dev::Device &d, int64_t dsp, int64_t bram18) {
  PlanTarget t;
  const auto u32 = [](uint64_t v) {
    return static_cast<uint32_t>(std::min<uint64_t>(v, UINT32_MAX));
  };
  for (uint32_t r = 0; r < d.num_regions(); ++r) {
    const emu::Resources b = region_desc(d, r).budget;
    t.regions.push_back(b);
    t.budget = t.budget + b;
    t.region_max = {std::max(t.region_max.dsp, b.dsp), std::max(t.region_max.bram18, b.bram18),
                    std::max(t.region_max.lut, b.lut), std::max(t.region_max.ff, b.ff)};
  }
  if (dsp >= 0) t.budget.dsp = u32(static_cast<uint64_t>(dsp));
  if (bram18 >= 0) t.budget.bram18 = u32(static_cast<uint64_t>(bram18));
  t.pl_clock_hz = d.param(DRM_ZACCEL_PARAM_PL_CLOCK_HZ);
  t.ddr_bytes_per_s = d.param(DRM_ZACCEL_PARAM_DDR_BYTES_PER_S);
  const uint64_t hp = d.param(DRM_ZACCEL_PARAM_HP_BYTES_PER_S);
  const uint64_t pcap = d.param(DRM_ZACCEL_PARAM_PCAP_BYTES_PER_S);
  for (uint32_t r = 0; r < d.num_regions(); ++r) {
    t.region_dma_bytes_per_s.push_back(
        std::min(t.ddr_bytes_per_s, hp * d.param(DRM_ZACCEL_PARAM_REGION_HP_PORTS, r)));
    t.region_pr_ns.push_back(1e9 * double(d.param(DRM_ZACCEL_PARAM_REGION_PARTIAL_SIZE, r)) /
                             double(std::max<uint64_t>(pcap, 1)));
  }
  return t;
}

}  // namespace zaccel
