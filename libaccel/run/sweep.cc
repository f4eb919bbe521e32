// SDCI sweeps: the plan's IPs (one per layer, or per part of a split layer) take the regions
// in turn. Each runs on every image of a sweep (several batches) before its region is
// swapped, and the next IP is loaded into another region while it computes, so that the
// PCAP works behind the compute. A region that already holds the IP is not reloaded.
#include "run/session.h"

namespace zaccel {

std::pair<uint32_t, bool> Session::place(size_t unit) {
  for (uint32_t r = 0; r < regions_; ++r) {
    if (holds_[r] == static_cast<long>(unit)) {
      last_region_ = r;
      return {r, false};
    }
  }
  // The region after the last IP's: the one whose IP finished longest ago.
  const uint32_t r = (last_region_ + 1) % regions_;
  holds_[r] = static_cast<long>(unit);
  last_region_ = r;
  return {r, true};
}

void Session::submit_sweep(const std::vector<Batch *> &sweep) {
  Batch &first = *sweep.front();
  const size_t units = plan_.layers.size();
  for (Batch *b : sweep)
    b->regions.assign(units, 0);
  for (size_t i = 0; i < units; ++i) {
    const PlannedLayer &p = plan_.layers[i];
    const auto [r, load] = place(i);
    if (load) {
      // Queued after the region's earlier jobs, which it waits for (RECONFIG drains the
      // region); the other regions go on computing meanwhile.
      dev::Bo &bits = *unit_partials_[i][r];
      first.loads.push_back({r, unit_name(p)});
      dev_.reconfig(r, bits, 0, bits.size(), {p.ip.id}, {}, pr_done_[r]->handle(),
                    {first.reports.get(), pr_record(first.loads.size() - 1)});
    }
    // Job by job: each waits for the previous IP's on the same images (chunk_done), so that
    // this IP starts on a sweep's first job while the previous one works on its later ones.
    for (Batch *b : sweep) {
      b->regions[i] = r;
      for (uint32_t first_img = 0; first_img < b->n; first_img += job_images_) {
        const size_t c = first_img / job_images_;
        std::vector<uint32_t> waits;
        if (load && b == &first && first_img == 0) waits.push_back(pr_done_[r]->handle());
        if (i > 0) waits.push_back(b->chunk_done[c]->handle());
        const bool end = i + 1 == units && first_img + job_images_ >= b->n;
        submit_job(*b, i, first_img, r, waits, (end ? b->done : b->chunk_done[c])->handle());
      }
    }
  }
}

}  // namespace zaccel
