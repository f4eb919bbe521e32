// A region of a device as the partial bitstream format describes it, read through the uapi.
#pragma once

#include <cstdint>

#include "bitstream/partial.h"
#include "device/device.h"

namespace zaccel {

/// What `dev` reports of `region`: frames, interface ID and budget.
emu::RegionDesc region_desc(dev::Device &dev, uint32_t region);

}  // namespace zaccel
