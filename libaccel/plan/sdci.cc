// The SDCI plan: every IP (a layer, or a part of a split one) gets a whole region while it
// runs, and the regions take the IPs in turn, each swapped in by partial reconfiguration
// while another computes. Fewer resources than a static design, at the cost of the PCAP.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

#include "ips/resources.h"
#include "plan/units.h"
#include "util/error.h"

namespace zaccel::detail {
namespace {

using emu::Resources;

Resources smallest(const std::vector<Resources> &rs) {
  Resources m = rs.front();
  for (const Resources &r : rs)
    m = {std::min(m.dsp, r.dsp), std::min(m.bram18, r.bram18), std::min(m.lut, r.lut),
         std::min(m.ff, r.ff)};
  return m;
}

Resources largest(const Resources &a, const Resources &b) {
  return {std::max(a.dsp, b.dsp), std::max(a.bram18, b.bram18), std::max(a.lut, b.lut),
          std::max(a.ff, b.ff)};
}

/// Unit `i` alone, as an IP that fits `one`'s region: the most lanes that fit.
PlannedLayer fit_unit(const Units &u, size_t i, const PlanTarget &one, Batching bt) {
  Units single = u;
  single.q = std::make_shared<QModel>(*u.q);
  single.q->layers = {u.q->layers[i]};
  single.in_bits = {u.in_bits[i]};
  single.source = {u.source[i]};
  single.lo = {u.lo[i]};
  single.hi = {u.hi[i]};
  single.split = {u.split[i]};
  single.in_lo = {u.in_lo[i]};
  single.in_hi = {u.in_hi[i]};
  for (double s = 1.0; s > 0.01; s *= 0.9) {
    const Plan p = assemble(single, PlanMode::kSdci, {}, one, bt, {0, 1}, s);
    if (overage(p).empty()) {
      PlannedLayer l = p.layers[0];
      l.layer = &u.q->layers[i];
      return l;
    }
  }
  fail(EFBIG, "sdci: layer ", u.q->layers[i].name, "'s IP fits no region even with one lane");
}

/// Unit `i` as the library's IP for it: the one computing the same layer and channels (the
/// most lanes if several), which must be the layer as quantized, weights included, and have
/// a partial for every region.
PlannedLayer library_unit(const Units &u, size_t i, const lib::Library &library, size_t regions,
                          uint64_t dma_rate, uint64_t clock_hz, Batching bt) {
  const QLayer &l = u.q->layers[i];
  if (l.acc_in || l.acc_out)
    fail(ENOENT, "layer ", l.name, ": IP libraries hold no parts of layers split by input channel");
  const lib::IpManifest *best = nullptr;
  for (const lib::IpManifest &m : library.ips()) {
    if (m.layer == l.name && m.out_lo == u.lo[i] && m.out_hi == u.hi[i] &&
        (!best || m.id.lanes > best->id.lanes))
      best = &m;
  }
  if (!best) {
    fail(ENOENT, "the IP library ", library.dir(), " has no IP for layer ", l.name, " channels [",
         u.lo[i], ", ", u.hi[i], ")");
  }
  PlannedLayer p = plan_layer(l, u.in_bits[i], best->id.weight_mode, best->id.lanes, bt);
  if (std::memcmp(&p.ip.id, &best->id, sizeof(p.ip.id)) != 0) {
    fail(EINVAL, "library IP ", best->name, " does not compute layer ", l.name,
         " as quantized (its dimensions, bit widths or weight mode differ)");
  }
  if (!best->weights_sha256.empty() && best->weights_sha256 != lib::weights_digest(l)) {
    fail(EINVAL, "library IP ", best->name, " holds other weights than layer ", l.name,
         "'s: it was built from another model or other bit widths");
  }
  for (uint32_t r = 0; r < regions; ++r)
    if (!best->partial_for(r))
      fail(EINVAL, "library IP ", best->name, " has no partial for region ", r);
  p.lib_ip = best;
  u.locate(i, p);
  p.dma_cycles_per_image =
      static_cast<uint64_t>(std::ceil(double(p.weight_bytes_per_image + p.act_bytes_per_image) *
                                      double(clock_hz) / double(std::max<uint64_t>(dma_rate, 1))));
  return p;
}

}  // namespace

Plan plan_sdci(const Units &u, const PlanTarget &t, Batching bt, const PlanOptions &opts) {
  const uint32_t sweep = opts.sweep ? opts.sweep : 16 * std::max(bt.job, bt.cache);
  if (t.regions.empty()) fail(ENODEV, "sdci: the device has no regions");
  const size_t regions = t.regions.size();
  // An IP may go to any region, so it must fit the smallest and keep up with the slowest.
  PlanTarget one = t;
  one.regions = {smallest(t.regions)};
  one.region_max = one.budget = one.regions[0];
  one.region_dma_bytes_per_s = {
      *std::min_element(t.region_dma_bytes_per_s.begin(), t.region_dma_bytes_per_s.end())};
  const double pr_ns = t.region_pr_ns.empty()
                           ? 0.0
                           : *std::max_element(t.region_pr_ns.begin(), t.region_pr_ns.end());
  Plan plan;
  plan.planned = u.q;
  plan.mode = PlanMode::kSdci;
  plan.batch = bt.job;
  plan.cache_batch = bt.cache;
  plan.budget = t.budget;
  plan.region_budgets = t.regions;
  plan.regions = regions;
  plan.sweep = sweep;
  plan.library = opts.library;
  plan.verify = opts.verify;
  plan.groups.assign(std::min(regions, u.q->layers.size()), {});
  for (size_t i = 0; i < u.q->layers.size(); ++i) {
    PlannedLayer p = opts.library ? library_unit(u, i, *opts.library, regions,
                                                 one.region_dma_bytes_per_s[0], t.pl_clock_hz, bt)
                                  : fit_unit(u, i, one, bt);
    p.region = static_cast<uint32_t>(i % regions);
    p.slot = 0;
    plan.groups[p.region].push_back(i);
    plan.weight_bytes_per_image += p.weight_bytes_per_image;
    plan.act_bytes_per_image += p.act_bytes_per_image;
    plan.cycles_per_image += p.cycles_per_image;
    plan.layers.push_back(p);
  }
  // Resident at once: the IPs of any `regions` consecutive units.
  const size_t units = plan.layers.size();
  for (size_t i = 0; i < units; ++i) {
    Resources at_once;
    for (size_t k = 0; k < std::min(regions, units); ++k)
      at_once = at_once + plan.layers[(i + k) % units].use;
    plan.total = largest(plan.total, at_once);
  }
  const double cycle_ns = 1e9 / double(t.pl_clock_hz);
  plan.compute_ns_per_image = double(plan.cycles_per_image) * cycle_ns;
  plan.dma_ns_per_image = 1e9 * double(plan.weight_bytes_per_image + plan.act_bytes_per_image) /
                          double(t.ddr_bytes_per_s);
  // The estimate. With no more units than regions, every IP stays loaded and the jobs
  // pipeline as in a static design. Otherwise each unit runs a sweep while the next is loaded
  // into another region: a step takes the longer of the two, and a region is reloaded only
  // after its unit's sweep.
  double busiest = 0, per_sweep = 0;
  for (const PlannedLayer &p : plan.layers) {
    const double unit_ns = double(std::max(p.cycles_per_image, p.dma_cycles_per_image)) * cycle_ns;
    busiest = std::max(busiest, unit_ns);
    per_sweep += std::max(unit_ns * sweep, pr_ns);
  }
  const bool swaps = units > regions;
  plan.pr_ns_per_image = swaps ? pr_ns * double(units) / sweep : 0.0;
  plan.critical_ns_per_image = std::max(swaps ? per_sweep / sweep : busiest, plan.dma_ns_per_image);
  plan.path_ns_per_image = plan.critical_ns_per_image;
  return plan;
}

}  // namespace zaccel::detail
