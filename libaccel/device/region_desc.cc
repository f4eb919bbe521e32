#include "device/region_desc.h"

#include <string>

namespace zaccel {

emu::RegionDesc region_desc(dev::Device &dev, uint32_t region) {
  emu::RegionDesc desc;
  desc.name = "region " + std::to_string(region);
  desc.frames = static_cast<uint32_t>(dev.param(DRM_ZACCEL_PARAM_REGION_FRAMES, region));
  desc.interface_id =
      static_cast<uint32_t>(dev.param(DRM_ZACCEL_PARAM_REGION_INTERFACE_ID, region));
  desc.budget = {static_cast<uint32_t>(dev.param(DRM_ZACCEL_PARAM_REGION_DSP, region)),
                 static_cast<uint32_t>(dev.param(DRM_ZACCEL_PARAM_REGION_BRAM18, region)),
                 static_cast<uint32_t>(dev.param(DRM_ZACCEL_PARAM_REGION_LUT, region)),
                 static_cast<uint32_t>(dev.param(DRM_ZACCEL_PARAM_REGION_FF, region))};
  desc.hp_ports = static_cast<uint32_t>(dev.param(DRM_ZACCEL_PARAM_REGION_HP_PORTS, region));
  return desc;
}

}  // namespace zaccel
