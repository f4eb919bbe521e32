// A job matched against the IP that will run it: the arguments checked against what the IP
// declares, the data gathered from the BOs, and the bytes its DMA moves.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "bitstream/partial.h"
#include "fabric/work.h"
#include "ips/ip.h"

namespace zaccel::emu {

/// The weights and bias a batch-cached IP holds on chip, or a streaming IP's for one job.
struct JobWeights {
  std::vector<int16_t> weights;
  std::vector<int64_t> bias;
};

struct JobPlan {
  IpJob job;  ///< points into the vectors below or into the IP's embedded weights
  std::vector<int16_t> in;
  std::vector<int16_t> in2;                   ///< an element-wise IP's second input
  std::vector<int64_t> acc_in;                ///< partial sums to add (DRM_ZACCEL_IP_ACC_IN)
  std::shared_ptr<const JobWeights> weights;  ///< streamed or batch-cached: what the job uses
  bool loads_cache = false;                   ///< a batch-cached IP keeps `weights` after it
  uint64_t out_count = 0;
  uint64_t out_stride = 0;               ///< values from one image's output to the next's in the BO
  uint64_t out_elem = 2;                 ///< bytes per output value: 8 for partial sums
  uint64_t in_bytes = 0, out_bytes = 0;  ///< DMA traffic, streamed weights included
};

/// Checks `w`'s arguments and registers against the IP and gathers its inputs; `kept` is what
/// the slot's batch-cached IP holds, if anything. Throws Error: EINVAL for arguments or
/// registers that do not match the IP (count, direction, size, zero images, control bits,
/// an output or input stride shorter than an image's output or input, an extent or byte count
/// that overflows 64 bits), ENODATA for DRM_ZACCEL_JOB_KEEP_WEIGHTS with nothing kept. Every
/// size and extent is computed with overflow checks (util/checked.h), as the driver's
/// zaccel_ip_check_job() computes them.
JobPlan plan_job(const IpImage &ip, const Work &w, std::shared_ptr<const JobWeights> kept);

/// Checks that a loaded partial's embedded weights match its descriptor. Throws Error
/// (EBADMSG) otherwise.
void check_embedded(const IpImage &ip);

}  // namespace zaccel::emu
