// A job the worker has started: its DMA moves burst by burst, interleaved on the DDR with the
// other regions' transfers in virtual-time order, as the DDR controller's arbiter serves its
// ports in turn.
#pragma once

#include <cstdint>
#include <memory>

#include "bitstream/partial.h"
#include "clock/virtual_clock.h"
#include "fabric/job_plan.h"
#include "fabric/work.h"

namespace zaccel::emu {

/// One DMA transfer in progress.
struct Transfer {
  uint64_t bytes = 0;  ///< to move
  uint64_t done = 0;   ///< moved so far
  uint64_t piece = 0;  ///< bytes per burst
  Picos next = 0;      ///< when the next burst can start
  Picos start = 0;     ///< when the first burst started
  Picos end = 0;       ///< when the last burst so far ended

  bool finished() const { return done >= bytes; }
};

struct RunningJob {
  Work *work = nullptr;
  std::shared_ptr<const PartialContents> loaded;  ///< holds `ip` while the job runs
  const IpImage *ip = nullptr;
  JobPlan plan;
  Fault fault = Fault::kNone;
  uint64_t chunks = 1;  ///< pieces the input arrives in; compute starts after the first
  Picos busy = 0;       ///< the IP's compute time
  Transfer in, out;
  bool computed = false;  ///< compute is reserved and `out` is the transfer in progress
  Picos c0 = 0, c1 = 0;   ///< the compute span

  Transfer &current() { return computed ? out : in; }
};

}  // namespace zaccel::emu
