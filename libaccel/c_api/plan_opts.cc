// The C boundary of plan options: an opaque object with one setter per option, so that new
// options never change a struct callers were built with.
#include "c_api/guard.h"
#include "plan/option_strings.h"

using zaccel::capi::guard;

extern "C" {

int accel_plan_opts_new(accel_ctx *ctx, accel_plan_opts **out) {
  return zaccel::capi::new_object(ctx, out);
}

accel_plan_opts *accel_plan_opts_ref(accel_plan_opts *opts) {
  return zaccel::capi::ref(opts);
}

accel_plan_opts *accel_plan_opts_unref(accel_plan_opts *opts) {
  return zaccel::capi::unref(opts);
}

int accel_plan_opts_set_mode(accel_plan_opts *opts, const char *mode) {
  if (!opts || !mode) return -EINVAL;
  return guard(opts->ctx, [&] {
    opts->plan.mode = zaccel::parse_plan_mode(mode);
    return 0;
  });
}

int accel_plan_opts_set_stream(accel_plan_opts *opts, const char *layers) {
  if (!opts) return -EINVAL;
  return guard(opts->ctx, [&] {
    opts->plan.stream = zaccel::parse_layer_list(layers ? layers : "");
    return 0;
  });
}

int accel_plan_opts_set_batch(accel_plan_opts *opts, uint32_t batch) {
  if (!opts) return -EINVAL;
  return guard(opts->ctx, [&] {
    if (batch < 1 || batch > 4096)
      zaccel::fail(EINVAL, "batch ", batch, ": 1 to 4096 images per job");
    opts->plan.batch = batch;
    return 0;
  });
}

int accel_plan_opts_set_cache_batch(accel_plan_opts *opts, uint32_t images) {
  if (!opts) return -EINVAL;
  return guard(opts->ctx, [&] {
    if (images > (1u << 20)) zaccel::fail(EINVAL, "cache batch ", images, ": at most 2^20 images");
    opts->plan.cache_batch = images;
    return 0;
  });
}

int accel_plan_opts_set_budget(accel_plan_opts *opts, int64_t dsp, int64_t bram18) {
  if (!opts) return -EINVAL;
  opts->dsp_budget = dsp;
  opts->bram18_budget = bram18;
  return 0;
}

int accel_plan_opts_set_split(accel_plan_opts *opts, const char *split) {
  if (!opts) return -EINVAL;
  return guard(opts->ctx, [&] {
    zaccel::SplitSpec s = zaccel::parse_split(split ? split : "");
    opts->plan.split = std::move(s.out);
    opts->plan.split_in = std::move(s.in);
    return 0;
  });
}

int accel_plan_opts_set_sweep(accel_plan_opts *opts, uint32_t images) {
  if (!opts) return -EINVAL;
  return guard(opts->ctx, [&] {
    if (images > (1u << 20)) zaccel::fail(EINVAL, "sweep ", images, ": at most 2^20 images");
    opts->plan.sweep = images;
    return 0;
  });
}

int accel_plan_opts_set_lib(accel_plan_opts *opts, accel_lib *lib, const char *trusted_key,
                            uint32_t flags) {
  if (!opts) return -EINVAL;
  return guard(opts->ctx, [&] {
    if (!lib && (trusted_key || flags))
      zaccel::fail(EINVAL, "verification options without an IP library");
    zaccel::lib::VerifyOptions verify = zaccel::capi::verify_options(trusted_key, flags);
    auto library = lib ? std::make_shared<const zaccel::lib::Library>(lib->lib) : nullptr;
    opts->plan.library = std::move(library);
    opts->plan.verify = std::move(verify);
    return 0;
  });
}

}  // extern "C"
