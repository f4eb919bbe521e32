// One reconfigurable region of the emulated fabric: its fpga-mgr style state, its decoupler,
// the IP loaded in it and its counters.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "bitstream/partial.h"
#include "clock/virtual_clock.h"
#include "fabric/board.h"
#include "fabric/job_plan.h"
#include "fabric/work.h"

namespace zaccel::emu {

struct Region {
  RegionDesc desc;
  std::vector<unsigned> slot_clock;  ///< each slot's IP on the virtual clock
  unsigned hp_port = 0;              ///< the region's AXI HP ports on the virtual clock
  uint32_t state = DRM_ZACCEL_STATE_POWER_OFF;
  bool decoupled = true;
  std::shared_ptr<const PartialContents> ip;            ///< the working IP, if any
  std::vector<std::shared_ptr<const JobWeights>> kept;  ///< per slot: batch-cached weights
  Picos idle_at = 0;             ///< virtual time the region's last work ended
  std::vector<Picos> slot_idle;  ///< the same, per slot
  Picos reconfig_end = 0;        ///< virtual time the last load ended
  uint64_t reconfigs = 0, jobs = 0, bytes = 0, errors = 0;
  uint32_t last_error = 0;
  Fault fault = Fault::kNone;  ///< injected into the region's next work it applies to
};

}  // namespace zaccel::emu
