// The schedule: the order of a run's work on the device as data, a pure function of the
// quantized model, the plan and the batches (and, for SDCI, which IP each region holds). A
// schedule is a list of operations in the order they are queued: loads of partial bitstreams
// (Reconfig) and jobs (Submit), each naming the buffers it reads and writes, its registers,
// the fences it waits for and the fence it signals. The session allocates what the ops name
// and issues them (run/session.h); tests read the edges with no device (wait_edges).
//
// Two builders: resident plans, where every IP keeps its region and a batch runs as a
// pipeline of jobs (resident.cc); and SDCI, where the IPs take the regions in turn, sweep by
// sweep (sdci.cc).
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "model/quantize.h"
#include "plan/planner.h"
#include "schedule/layout.h"
#include "zaccel_drm.h"

namespace zaccel::sched {

/// A buffer: of the batch at position `batch` of the schedule (a tensor's, the partial
/// sums'), or of the session (an IP's weights or bias, by the plan's IP `index`).
enum class BufKind : uint8_t { kTensor, kSums, kWeights, kBias };
struct BufRef {
  BufKind kind = BufKind::kTensor;
  uint32_t batch = 0;
  uint32_t index = 0;  ///< kTensor: 0 the input, k + 1 layer k's; kSums: 0 or 1; else the IP
  bool operator==(const BufRef &) const = default;
};

/// A job argument: bytes [offset, offset + size) of a buffer, DRM_ZACCEL_ARG_READ or _WRITE.
struct Arg {
  BufRef buf;
  uint32_t flags = 0;
  uint64_t offset = 0, size = 0;
};

/// A fence (a sync object the session keeps): a region's load; the plan's IP `index`'s
/// latest job; the end of the batch at `batch`; SDCI: the latest IP's job on job `index` of
/// that batch's images.
enum class FenceKind : uint8_t { kLoaded, kUnitDone, kBatchDone, kChunkDone };
struct Fence {
  FenceKind kind = FenceKind::kLoaded;
  uint32_t batch = 0;
  uint32_t index = 0;  ///< kLoaded: the region; kUnitDone: the IP; kChunkDone: the job
  bool operator==(const Fence &) const = default;
};

/// Loads a partial into `region`: the region's resident partial (unit < 0), or the plan's IP
/// `unit`'s for that region (SDCI). Its completion record goes to `record` in the batch's.
struct Reconfig {
  uint32_t region = 0;
  int32_t unit = -1;
  std::vector<drm_zaccel_ip_id> expected;
  std::vector<Fence> waits;
  Fence signal;
  uint32_t batch = 0;
  uint64_t record = 0;
  std::string what;
};

/// A job of the plan's IP `unit` on images [first_img, first_img + regs[IMAGES]) of the batch
/// at `batch`, in `slot` of `region`; registers DRM_ZACCEL_JOB_REG_*.
struct Submit {
  uint32_t region = 0, slot = 0;
  uint32_t unit = 0;
  uint32_t batch = 0, first_img = 0;
  std::vector<Arg> args;
  std::vector<uint32_t> regs;
  std::vector<Fence> waits;
  Fence signal;
  uint64_t record = 0;
};

using Op = std::variant<Reconfig, Submit>;

/// Whether the IP reads its weights (and bias) from the session's buffers: streamed or
/// batch-cached, not embedded in its partial.
bool streams_weights(const LayerIp &ip);

/// Resident plans: the jobs of one batch of `n` images (batch position 0), job after job
/// (every IP on images 0.., then every IP on the next job's), loading every region first when
/// `load`. A job waits for the jobs of the layers whose outputs it reads (every IP of each,
/// if it is split), for the region's load if it is the batch's first, and a part of a cascade
/// for the part before; the model's last IP also for the other IPs of its layer, so that its
/// signal, the batch's end, covers the whole output.
std::vector<Op> resident_batch(const QModel &q, const Plan &plan, const BatchLayout &layout,
                               uint32_t n, bool load);

/// SDCI: which IP each region holds, or will once its queued loads are done (-1: unknown),
/// and the region of the IP placed last.
struct SdciState {
  std::vector<long> holds;
  uint32_t last = 0;
  explicit SdciState(uint32_t regions) : holds(regions, -1), last(regions - 1) {}
};

/// SDCI: one sweep of batches of `sizes` images (batch positions 0..), IP after IP. An IP
/// that no region holds is loaded into the region after the last IP's (the one whose IP
/// finished longest ago), waiting for nothing but the region's own jobs; its first job waits
/// for the load. Each job waits for the previous IP's job on the same images, so an IP starts
/// on a sweep's first job while the previous one works on the later ones. Updates `state`.
std::vector<Op> sdci_sweep(const QModel &q, const Plan &plan, const BatchLayout &layout,
                           const std::vector<uint32_t> &sizes, SdciState &state);

/// For each op of `ops`, the earlier ops it waits for, in increasing order: for each of its
/// fences, the last op before it that signals that fence (a sync object holds the fence of its
/// latest signal when work is queued); and what the uapi orders by itself: a Reconfig waits
/// for the region's earlier jobs, a Submit for the region's latest earlier Reconfig and for
/// the previous job on its slot (jobs on one slot run in submission order).
std::vector<std::vector<size_t>> wait_edges(const std::vector<Op> &ops);

}  // namespace zaccel::sched
