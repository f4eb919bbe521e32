// The C boundary of the planner.
#include <algorithm>
#include <sstream>

#include "c_api/guard.h"
#include "plan/target.h"

using zaccel::capi::guard;
using zaccel::capi::make;

namespace {

zaccel::PlanOptions options_of(const accel_plan_opts *o) {
  zaccel::PlanOptions p;
  if (!o) return p;
  if (o->mode) p.mode = zaccel::parse_plan_mode(o->mode);
  if (o->batch) p.batch = o->batch;
  p.cache_batch = o->cache_batch;
  p.sweep = o->sweep;
  if (o->lib) {
    p.library = std::make_shared<const zaccel::lib::Library>(o->lib->lib);
    p.verify = zaccel::capi::verify_options(o->trusted_key, o->lib_flags);
  } else if (o->lib_flags || o->trusted_key) {
    zaccel::fail(EINVAL, "verification options without an IP library");
  }
  if (o->split) {  // LAYER=C,C,...;LAYER=...
    std::istringstream in(o->split);
    for (std::string item; std::getline(in, item, ';');) {
      if (item.empty()) continue;
      const size_t eq = item.find('=');
      if (eq == std::string::npos || eq == 0)
        zaccel::fail(EINVAL, "--split: '", item, "' is not LAYER=CHANNELS,CHANNELS,...");
      // LAYER=in:C,C,... splits its input channels.
      const bool input = item.compare(eq + 1, 3, "in:") == 0;
      std::vector<uint32_t> &parts = (input ? p.split_in : p.split)[item.substr(0, eq)];
      std::istringstream cs(item.substr(eq + 1 + (input ? 3 : 0)));
      for (std::string c; std::getline(cs, c, ',');) {
        if (c.empty() || c.size() > 6 || c.find_first_not_of("0123456789") != std::string::npos)
          zaccel::fail(EINVAL, "--split: '", item, "' is not LAYER=CHANNELS,CHANNELS,...");
        parts.push_back(static_cast<uint32_t>(std::stoul(c)));
      }
      if (parts.size() < 2) zaccel::fail(EINVAL, "--split: '", item, "' has fewer than 2 parts");
    }
  }
  if (o->stream) {
    std::istringstream in(o->stream);
    for (std::string name; std::getline(in, name, ',');)
      if (!name.empty()) p.stream.push_back(name);
  }
  return p;
}

}  // namespace

extern "C" {

int accel_plan_new(accel_qmodel *q, accel_device *dev, const accel_plan_opts *opts,
                   accel_plan **out) {
  if (!q || !dev || !out) return -EINVAL;
  *out = nullptr;
  return guard(q->ctx, [&] {
    zaccel::Plan plan =
        zaccel::make_plan(q->q, options_of(opts),
                          zaccel::plan_target(*dev->dev, opts ? opts->dsp_budget : -1,
                                              opts ? opts->bram18_budget : -1));
    *out = make<accel_plan>(q->ctx);
    (*out)->q = accel_qmodel_ref(q);
    (*out)->plan = std::move(plan);
    return 0;
  });
}

accel_plan *accel_plan_unref(accel_plan *plan) {
  if (plan && plan->refs.fetch_sub(1) == 1) {
    accel_qmodel_unref(plan->q);
    accel_ctx_unref(plan->ctx);
    delete plan;
  }
  return nullptr;
}

int accel_plan_get_summary(const accel_plan *plan, accel_plan_summary *out) {
  if (!plan || !out) return -EINVAL;
  const zaccel::Plan &p = plan->plan;
  *out = {zaccel::plan_mode_name(p.mode),
          p.batch,
          static_cast<uint32_t>(p.layers.size()),
          p.total.dsp,
          p.total.bram18,
          p.total.lut,
          p.total.ff,
          p.budget.dsp,
          p.budget.bram18,
          p.budget.lut,
          p.budget.ff,
          p.weight_bytes_per_image,
          p.act_bytes_per_image,
          p.cycles_per_image,
          p.compute_ns_per_image,
          p.dma_ns_per_image,
          p.critical_ns_per_image,
          p.cache_batch,
          p.sweep,
          p.pr_ns_per_image};
  return 0;
}

int accel_plan_get_layer(const accel_plan *plan, uint32_t index, accel_plan_layer *out) {
  if (!plan || !out || index >= plan->plan.layers.size()) return -EINVAL;
  const zaccel::PlannedLayer &l = plan->plan.layers[index];
  *out = {};
  out->name = l.layer->name.c_str();
  out->weight_mode = l.ip.id.weight_mode;
  out->lanes = l.ip.id.lanes;
  out->region = l.region;
  out->slot = l.slot;
  out->dsp = l.use.dsp;
  out->bram18 = l.use.bram18;
  out->lut = l.use.lut;
  out->ff = l.use.ff;
  out->weight_bytes_per_image = l.weight_bytes_per_image;
  out->act_bytes_per_image = l.act_bytes_per_image;
  out->cycles_per_image = l.cycles_per_image;
  out->dma_cycles_per_image = l.dma_cycles_per_image;
  out->out_lo = l.out_lo;
  out->out_hi = l.out_hi;
  out->split = l.split;
  out->in_lo = l.in_lo;
  out->in_hi = l.in_hi;
  return 0;
}

}  // extern "C"
