#include "plan/planner.h"

#include <algorithm>
#include <cerrno>
#include <set>

#include "ips/ip.h"
#include "ips/resources.h"
#include "util/error.h"

namespace zaccel {
namespace {

using emu::Resources;

uint32_t mode_of(PlanMode m) {
  switch (m) {
    case PlanMode::kDasp:
      return DRM_ZACCEL_WEIGHTS_STREAMED;
    case PlanMode::kBatchCached:
      return DRM_ZACCEL_WEIGHTS_BATCH_CACHED;
    default:
      return DRM_ZACCEL_WEIGHTS_EMBEDDED;
  }
}

uint64_t macs(const QLayer &l) {
  switch (l.kind) {
    case LayerKind::kConv:
      return l.out.size() * l.in.c * l.conv.win.kh * l.conv.win.kw;
    case LayerKind::kFc:
      return l.out.size() * l.in.size();
    default:
      return 0;
  }
}

PlannedLayer plan_layer(const QLayer &l, unsigned in_bits, uint32_t weight_mode, uint32_t lanes,
                        uint32_t batch) {
  PlannedLayer p;
  p.layer = &l;
  p.ip = layer_ip(l, in_bits, weight_mode, lanes);
  p.use = emu::ip_resources(p.ip.id);
  const uint64_t wbytes = emu::ip_weight_count(p.ip.id) * 2 + emu::ip_bias_count(p.ip.id) * 8;
  switch (p.ip.id.weight_mode) {
    case DRM_ZACCEL_WEIGHTS_STREAMED:
      p.weight_bytes_per_image = wbytes;
      break;
    case DRM_ZACCEL_WEIGHTS_BATCH_CACHED:
      p.weight_bytes_per_image = (wbytes + batch - 1) / batch;
      break;
    default:
      break;
  }
  p.act_bytes_per_image = (emu::ip_input_count(p.ip.id) + emu::ip_output_count(p.ip.id)) * 2;
  p.cycles_per_image = (emu::ip_cycles(p.ip.id, batch) + batch - 1) / batch;
  return p;
}

/// Places consecutive layers in regions while each region's IPs fit its budget.
void pack(Plan &plan, const PlanTarget &t) {
  plan.regions = t.regions.size();
  plan.groups.clear();
  Resources used;
  for (size_t i = 0; i < plan.layers.size(); ++i) {
    PlannedLayer &p = plan.layers[i];
    const size_t r = plan.groups.empty() ? 0 : plan.groups.size() - 1;
    const Resources &budget = r < t.regions.size() ? t.regions[r] : t.region_max;
    if (plan.groups.empty() || plan.groups.back().size() == DRM_ZACCEL_MAX_SLOTS ||
        !emu::fits(used + p.use, budget)) {
      plan.groups.emplace_back();
      used = {};
    }
    used = used + p.use;
    p.region = static_cast<uint32_t>(plan.groups.size() - 1);
    p.slot = static_cast<uint32_t>(plan.groups.back().size());
    plan.groups.back().push_back(i);
  }
}

Plan assemble(const QModel &q, PlanMode mode, const std::set<std::string> &streamed,
              const PlanTarget &t, uint32_t batch, uint32_t dsp_total) {
  Plan plan;
  plan.mode = mode;
  plan.batch = batch;
  plan.budget = t.budget;
  const std::vector<unsigned> in_bits = layer_input_bits(q);
  const std::vector<uint32_t> lanes = choose_lanes(q, dsp_total, t.region_max.dsp);
  for (size_t i = 0; i < q.layers.size(); ++i) {
    const QLayer &l = q.layers[i];
    const uint32_t wm =
        streamed.count(l.name) ? uint32_t{DRM_ZACCEL_WEIGHTS_STREAMED} : mode_of(mode);
    plan.layers.push_back(plan_layer(l, in_bits[i], wm, lanes[i], batch));
    const PlannedLayer &p = plan.layers.back();
    plan.total = plan.total + p.use;
    plan.weight_bytes_per_image += p.weight_bytes_per_image;
    plan.act_bytes_per_image += p.act_bytes_per_image;
    plan.cycles_per_image += p.cycles_per_image;
  }
  plan.compute_ns_per_image = 1e9 * double(plan.cycles_per_image) / double(t.pl_clock_hz);
  plan.dma_ns_per_image = 1e9 * double(plan.weight_bytes_per_image + plan.act_bytes_per_image) /
                          double(t.dma_bytes_per_s);
  pack(plan, t);
  return plan;
}

/// Why `plan` does not fit, or "" if it does.
std::string overage(const Plan &plan) {
  const Resources &u = plan.total, &b = plan.budget;
  const PlannedLayer *largest = nullptr;
  for (const PlannedLayer &p : plan.layers)
    if (!largest || p.use.bram18 > largest->use.bram18) largest = &p;
  const auto over = [&](const char *what, uint32_t use, uint32_t budget, uint32_t layer_use) {
    return std::string(plan_mode_name(plan.mode)) + " needs " + std::to_string(use) + " " + what +
           ", the budget is " + std::to_string(budget) + " (" + std::to_string(use - budget) +
           " over); the largest layer is " + largest->layer->name + " (" +
           std::to_string(layer_use) + ")";
  };
  if (u.bram18 > b.bram18) return over("BRAM18", u.bram18, b.bram18, largest->use.bram18);
  for (const PlannedLayer &p : plan.layers)
    if (!largest || p.use.dsp > largest->use.dsp) largest = &p;
  if (u.dsp > b.dsp) return over("DSP", u.dsp, b.dsp, largest->use.dsp);
  if (u.lut > b.lut) return over("LUT", u.lut, b.lut, largest->use.lut);
  if (u.ff > b.ff) return over("FF", u.ff, b.ff, largest->use.ff);
  if (plan.groups.size() > plan.regions) {
    return std::string(plan_mode_name(plan.mode)) + ": the IPs fill " +
           std::to_string(plan.groups.size()) + " regions, the device has " +
           std::to_string(plan.regions) + "; the largest layer is " + largest->layer->name + " (" +
           std::to_string(largest->use.dsp) + " DSP)";
  }
  return "";
}

/// The plan with the most lanes whose IPs fit the budget and the regions, else the one with
/// the full DSP budget (whose overage says why).
Plan assemble_resident(const QModel &q, PlanMode mode, const std::set<std::string> &streamed,
                       const PlanTarget &t, uint32_t batch) {
  Plan first = assemble(q, mode, streamed, t, batch, t.budget.dsp);
  for (uint32_t dsp = t.budget.dsp; dsp > 0; dsp = dsp * 9 / 10) {
    Plan p = assemble(q, mode, streamed, t, batch, dsp);
    if (overage(p).empty()) return p;
  }
  return first;
}

/// The most DSPs whose lanes let every IP be resident with its weights streamed (the least
/// BRAM any mode needs), or the full budget if none does.
uint32_t resident_dsp(const QModel &q, const PlanTarget &t, uint32_t batch) {
  for (uint32_t dsp = t.budget.dsp; dsp > 0; dsp = dsp * 9 / 10) {
    if (overage(assemble(q, PlanMode::kDasp, {}, t, batch, dsp)).empty()) return dsp;
  }
  return t.budget.dsp;
}

/// DAPP: with the lanes that let the IPs be resident at all, stream the layers with the most
/// weights until the rest fit; only if no amount of streaming fits do the lanes shrink further.
Plan plan_dapp(const QModel &q, const PlanTarget &t, uint32_t batch) {
  const uint32_t dsp = resident_dsp(q, t, batch);
  std::vector<const QLayer *> by_size;
  for (const QLayer &l : q.layers)
    if (!l.weights.empty()) by_size.push_back(&l);
  std::stable_sort(by_size.begin(), by_size.end(), [](const QLayer *a, const QLayer *b) {
    return a->weights.size() > b->weights.size();
  });
  for (const bool shrink : {false, true}) {
    std::set<std::string> streamed;
    for (size_t n = 0; n <= by_size.size(); ++n) {
      if (n > 0) streamed.insert(by_size[n - 1]->name);
      Plan plan = shrink ? assemble_resident(q, PlanMode::kDapp, streamed, t, batch)
                         : assemble(q, PlanMode::kDapp, streamed, t, batch, dsp);
      if (overage(plan).empty()) return plan;
    }
  }
  std::set<std::string> all;
  for (const QLayer *l : by_size)
    all.insert(l->name);
  return assemble(q, PlanMode::kDapp, all, t, batch, t.budget.dsp);
}

}  // namespace

std::vector<uint32_t> choose_lanes(const QModel &q, uint32_t dsp_budget, uint32_t region_dsp) {
  uint64_t total = 0;
  for (const QLayer &l : q.layers)
    total += macs(l);
  std::vector<uint32_t> lanes;
  for (const QLayer &l : q.layers) {
    const uint64_t m = macs(l);
    if (m == 0) {
      lanes.push_back(std::max<uint32_t>(l.in.c, 1));
      continue;
    }
    const uint64_t share = uint64_t{dsp_budget} * m / total;
    lanes.push_back(static_cast<uint32_t>(
        std::clamp<uint64_t>(share, 1, std::max<uint64_t>(1, std::min<uint64_t>(region_dsp, m)))));
  }
  return lanes;
}

PlanMode parse_plan_mode(const std::string &name) {
  for (PlanMode m : {PlanMode::kStatic, PlanMode::kDasp, PlanMode::kDapp, PlanMode::kBatchCached,
                     PlanMode::kAuto}) {
    if (name == plan_mode_name(m)) return m;
  }
  fail(EINVAL, "unknown mode '", name, "' (static, dasp, dapp, batch-cached or auto)");
}

const char *plan_mode_name(PlanMode m) {
  switch (m) {
    case PlanMode::kStatic:
      return "static";
    case PlanMode::kDasp:
      return "dasp";
    case PlanMode::kDapp:
      return "dapp";
    case PlanMode::kBatchCached:
      return "batch-cached";
    default:
      return "auto";
  }
}

Plan make_plan(const QModel &q, const PlanOptions &opts, const PlanTarget &t) {
  if (t.budget.dsp == 0 || t.budget.bram18 == 0) {
    fail(EINVAL, "a budget of zero (", t.budget.dsp, " DSP, ", t.budget.bram18,
         " BRAM18) holds no IP");
  }
  if (opts.batch == 0) fail(EINVAL, "a batch of zero images");
  if (q.layers.empty()) fail(EINVAL, "the model has no layers");
  std::set<std::string> streamed;
  for (const std::string &name : opts.stream) {
    const auto it = std::find_if(q.layers.begin(), q.layers.end(),
                                 [&](const QLayer &l) { return l.name == name; });
    if (it == q.layers.end()) fail(EINVAL, "--stream: unknown layer '", name, "'");
    if (it->weights.empty()) fail(EINVAL, "--stream: layer ", name, " has no weights");
    streamed.insert(name);
  }
  if (!streamed.empty() && opts.mode != PlanMode::kDapp && opts.mode != PlanMode::kAuto) {
    fail(EINVAL, "--stream chooses layers for dapp, not for ", plan_mode_name(opts.mode));
  }
  // A layer no single region can hold, even with its weights streamed, needs splitting.
  const Plan lean = assemble(q, PlanMode::kDasp, {}, t, opts.batch, t.budget.dsp);
  for (const PlannedLayer &p : lean.layers) {
    if (!emu::fits(p.use, t.region_max)) {
      fail(EFBIG, "layer ", p.layer->name, " needs ", p.use.dsp, " DSP and ", p.use.bram18,
           " BRAM18 even streaming its weights; no region has more than ", t.region_max.dsp,
           " DSP and ", t.region_max.bram18, " BRAM18");
    }
  }
  std::vector<Plan> candidates;
  if (!streamed.empty()) {
    candidates.push_back(assemble_resident(q, PlanMode::kDapp, streamed, t, opts.batch));
  } else if (opts.mode == PlanMode::kDapp) {
    candidates.push_back(plan_dapp(q, t, opts.batch));
  } else if (opts.mode != PlanMode::kAuto) {
    candidates.push_back(assemble_resident(q, opts.mode, {}, t, opts.batch));
  } else {
    for (PlanMode m : {PlanMode::kStatic, PlanMode::kBatchCached, PlanMode::kDasp})
      candidates.push_back(assemble_resident(q, m, {}, t, opts.batch));
    candidates.push_back(plan_dapp(q, t, opts.batch));
  }
  const Plan *best = nullptr;
  for (const Plan &p : candidates) {
    if (overage(p).empty() && (!best || p.ns_per_image() < best->ns_per_image())) best = &p;
  }
  if (!best) fail(ENOSPC, overage(candidates.back()));  // the leanest candidate
  return *best;
}

}  // namespace zaccel
