// Resident plans: every IP keeps its region; a batch runs as a pipeline of jobs across the
// slots (schedule.h, resident_batch).
#include <string>

#include "schedule/job.h"

namespace zaccel::sched {

std::vector<Op> resident_batch(const QModel &q, const Plan &plan, const BatchLayout &layout,
                               uint32_t n, bool load) {
  std::vector<Op> ops;
  for (uint32_t g = 0; load && g < plan.groups.size(); ++g) {
    Reconfig r;
    r.region = g;
    for (size_t i : plan.groups[g])
      r.expected.push_back(plan.layers[i].ip.id);
    r.signal = {FenceKind::kLoaded, 0, g};
    r.record = layout.pr_record(g);
    r.what = "IPs of region " + std::to_string(g);
    ops.emplace_back(std::move(r));
  }
  // Job after job: every tensor has its own buffer in the batch, kept until the batch is
  // collected, so a job waits only for its producers; its slot runs its jobs in order, so the
  // slots form a pipeline.
  const size_t units = plan.layers.size();
  for (uint32_t first_img = 0; first_img < n; first_img += layout.job_images()) {
    for (size_t i = 0; i < units; ++i) {
      const PlannedLayer &p = plan.layers[i];
      Submit s = job(q, plan, layout, i, 0, n, first_img, p.region);
      if (load && first_img == 0) s.waits.push_back({FenceKind::kLoaded, 0, p.region});
      const auto prev = static_cast<uint32_t>(i - 1);
      if (p.layer->acc_in) s.waits.push_back({FenceKind::kUnitDone, 0, prev});  // its sums
      const bool last = i + 1 == units;
      for (size_t j = 0; j < units; ++j) {
        const size_t js = plan.layers[j].source;
        if (layout.reads(p.source, js) || (last && j != i && js == p.source))
          s.waits.push_back({FenceKind::kUnitDone, 0, static_cast<uint32_t>(j)});
      }
      s.signal = last ? Fence{FenceKind::kBatchDone, 0, 0}
                      : Fence{FenceKind::kUnitDone, 0, static_cast<uint32_t>(i)};
      ops.emplace_back(std::move(s));
    }
  }
  return ops;
}

}  // namespace zaccel::sched
