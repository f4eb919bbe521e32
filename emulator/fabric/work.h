// What the emulated device's queue holds: fences (the DRM syncobjs' payload) and the queued
// reconfigurations and jobs that wait on and signal them.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "bitstream/partial.h"
#include "clock/virtual_clock.h"
#include "fabric/bo.h"
#include "zaccel_drm.h"

namespace zaccel::emu {

/// A dma_fence: signalled once, with an error (positive errno, 0 for success) and the virtual
/// time at which the work behind it ended. Fields are protected by the device's lock.
struct Fence {
  bool signaled = false;
  int error = 0;
  Picos at = 0;
};

/// A range of a BO that a job uses; holds the BO alive while the job is queued.
struct BoRange {
  std::shared_ptr<Bo> bo;
  uint64_t offset = 0, size = 0;
};

enum class Fault { kNone, kPrCrc, kDmaTimeout, kIpHang };

struct Work {
  bool reconfig = false;
  uint32_t region = 0;
  uint64_t seq = 0;      ///< submission order
  Picos not_before = 0;  ///< the host submitted it after seeing this virtual time
  bool started = false;  ///< a job the worker is running
  std::vector<std::shared_ptr<Fence>> waits;
  std::shared_ptr<Fence> done;
  BoRange report;  ///< bo null if no completion record was asked for

  // RECONFIG
  BoRange bitstream;
  std::vector<drm_zaccel_ip_id> expected;  ///< one per slot

  // SUBMIT
  uint32_t slot = 0;
  std::vector<BoRange> args;
  std::vector<uint32_t> regs;
  std::vector<uint32_t> arg_flags;
};

}  // namespace zaccel::emu
