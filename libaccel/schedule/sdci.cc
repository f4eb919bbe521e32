// SDCI sweeps: the plan's IPs (one per layer, or per part of a split layer) take the regions
// in turn. Each runs on every image of a sweep (several batches) before its region is
// swapped, and the next IP is loaded into another region while it computes, so that the PCAP
// works behind the compute. A region that already holds the IP is not reloaded (schedule.h,
// sdci_sweep).
#include "schedule/job.h"
#include "util/error.h"

namespace zaccel::sched {
namespace {

// The region for the plan's IP `unit`, and whether it must be loaded into it.
std::pair<uint32_t, bool> place(SdciState &st, size_t unit) {
  const auto regions = static_cast<uint32_t>(st.holds.size());
  for (uint32_t r = 0; r < regions; ++r) {
    if (st.holds[r] == static_cast<long>(unit)) {
      st.last = r;
      return {r, false};
    }
  }
  // The region after the last IP's: the one whose IP finished longest ago.
  const uint32_t r = (st.last + 1) % regions;
  st.holds[r] = static_cast<long>(unit);
  st.last = r;
  return {r, true};
}

}  // namespace

std::vector<Op> sdci_sweep(const QModel &q, const Plan &plan, const BatchLayout &layout,
                           const std::vector<uint32_t> &sizes, SdciState &state) {
  if (state.holds.empty()) fail(EINVAL, "SDCI on a device without regions");
  std::vector<Op> ops;
  uint32_t loads = 0;
  const size_t units = plan.layers.size();
  for (size_t i = 0; i < units; ++i) {
    const auto [r, load] = place(state, i);
    if (load) {
      // Queued after the region's earlier jobs, which it waits for (RECONFIG drains the
      // region); the other regions go on computing meanwhile. Its record is the first batch's.
      Reconfig rc;
      rc.region = r;
      rc.unit = static_cast<int32_t>(i);
      rc.expected = {plan.layers[i].ip.id};
      rc.signal = {FenceKind::kLoaded, 0, r};
      rc.record = layout.pr_record(loads++);
      rc.what = unit_name(plan.layers[i]);
      ops.emplace_back(std::move(rc));
    }
    for (uint32_t b = 0; b < sizes.size(); ++b) {
      for (uint32_t first_img = 0; first_img < sizes[b]; first_img += layout.job_images()) {
        const uint32_t c = first_img / layout.job_images();
        Submit s = job(q, plan, layout, i, b, sizes[b], first_img, r);
        if (load && b == 0 && first_img == 0) s.waits.push_back({FenceKind::kLoaded, 0, r});
        if (i > 0) s.waits.push_back({FenceKind::kChunkDone, b, c});
        const bool end = i + 1 == units && first_img + layout.job_images() >= sizes[b];
        s.signal = end ? Fence{FenceKind::kBatchDone, b, 0} : Fence{FenceKind::kChunkDone, b, c};
        ops.emplace_back(std::move(s));
      }
    }
  }
  return ops;
}

}  // namespace zaccel::sched
