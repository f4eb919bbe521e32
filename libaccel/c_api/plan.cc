// The C boundary of the planner.
#include "c_api/guard.h"
#include "c_api/sized.h"
#include "run/target.h"

using zaccel::capi::copy_sized;
using zaccel::capi::guard;
using zaccel::capi::make;

extern "C" {

int accel_plan_new(accel_qmodel *q, accel_device *dev, const accel_plan_opts *opts,
                   accel_plan **out) {
  if (!q || !dev || !out) return -EINVAL;
  *out = nullptr;
  return guard(q->ctx, [&] {
    const zaccel::PlanOptions defaults;
    zaccel::Plan plan =
        zaccel::make_plan(q->q, opts ? opts->plan : defaults,
                          zaccel::plan_target(*dev->dev, opts ? opts->dsp_budget : -1,
                                              opts ? opts->bram18_budget : -1));
    *out = make<accel_plan>(q->ctx);
    (*out)->q = accel_qmodel_ref(q);
    (*out)->plan = std::move(plan);
    return 0;
  });
}

accel_plan *accel_plan_ref(accel_plan *plan) {
  return zaccel::capi::ref(plan);
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
  return guard(plan->ctx, [&] {
    const zaccel::Plan &p = plan->plan;
    accel_plan_summary s{};
    s.mode = zaccel::plan_mode_name(p.mode);
    s.batch = p.batch;
    s.layers = static_cast<uint32_t>(p.layers.size());
    s.dsp = p.total.dsp;
    s.bram18 = p.total.bram18;
    s.lut = p.total.lut;
    s.ff = p.total.ff;
    s.budget_dsp = p.budget.dsp;
    s.budget_bram18 = p.budget.bram18;
    s.budget_lut = p.budget.lut;
    s.budget_ff = p.budget.ff;
    s.cache_batch = p.cache_batch;
    s.weight_bytes_per_image = p.weight_bytes_per_image;
    s.act_bytes_per_image = p.act_bytes_per_image;
    s.cycles_per_image = p.cycles_per_image;
    s.compute_ns_per_image = p.compute_ns_per_image;
    s.dma_ns_per_image = p.dma_ns_per_image;
    s.ns_per_image = p.critical_ns_per_image;
    s.sweep = p.sweep;
    s.pr_ns_per_image = p.pr_ns_per_image;
    copy_sized(out, s, ACCEL_SIZE_THROUGH(accel_plan_summary, pr_ns_per_image), "plan summary");
    return 0;
  });
}

int accel_plan_get_layer(const accel_plan *plan, uint32_t index, accel_plan_layer *out) {
  if (!plan || !out) return -EINVAL;
  return guard(plan->ctx, [&] {
    if (index >= plan->plan.layers.size())
      zaccel::fail(EINVAL, "plan layer ", index, " of ", plan->plan.layers.size());
    const zaccel::PlannedLayer &l = plan->plan.layers[index];
    accel_plan_layer pl{};
    pl.name = l.layer->name.c_str();
    pl.weight_mode = l.ip.id.weight_mode;
    pl.lanes = l.ip.id.lanes;
    pl.region = l.region;
    pl.slot = l.slot;
    pl.split = l.split;
    pl.dsp = l.use.dsp;
    pl.bram18 = l.use.bram18;
    pl.lut = l.use.lut;
    pl.ff = l.use.ff;
    pl.weight_bytes_per_image = l.weight_bytes_per_image;
    pl.act_bytes_per_image = l.act_bytes_per_image;
    pl.cycles_per_image = l.cycles_per_image;
    pl.dma_cycles_per_image = l.dma_cycles_per_image;
    pl.out_lo = l.out_lo;
    pl.out_hi = l.out_hi;
    pl.in_lo = l.in_lo;
    pl.in_hi = l.in_hi;
    copy_sized(out, pl, ACCEL_SIZE_THROUGH(accel_plan_layer, in_hi), "plan layer");
    return 0;
  });
}

}  // extern "C"
