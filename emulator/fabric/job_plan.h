// A job matched against the IP that will run it: the arguments checked against what the IP
// declares, the data gathered from the BOs, and the bytes its DMA moves.
#pragma once

#include <cstdint>
#include <vector>

#include "bitstream/partial.h"
#include "fabric/work.h"
#include "ips/ip.h"

namespace zaccel::emu {

struct JobPlan {
  IpJob job;  ///< points into the vectors below or into the IP's embedded weights
  std::vector<int16_t> in, weights;
  std::vector<int64_t> bias;
  uint64_t out_count = 0;
  uint64_t in_bytes = 0, out_bytes = 0;  ///< DMA traffic, streamed weights included
};

/// Checks `w`'s arguments and registers against the IP and gathers its inputs. Throws Error:
/// EINVAL for arguments that do not match the IP (count, direction, size, zero images).
JobPlan plan_job(const IpImage &ip, const Work &w);

/// Checks that a loaded partial's embedded weights match its descriptor. Throws Error
/// (EBADMSG) otherwise.
void check_embedded(const IpImage &ip);

}  // namespace zaccel::emu
