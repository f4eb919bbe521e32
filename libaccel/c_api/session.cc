// The C boundary of sessions: a quantized model run as jobs on a device.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "c_api/guard.h"
#include "c_api/sized.h"
#include "run/target.h"

using zaccel::capi::copy_sized;
using zaccel::capi::guard;
using zaccel::capi::make;

extern "C" {

int accel_session_opts_new(accel_ctx *ctx, accel_session_opts **out) {
  return zaccel::capi::new_object(ctx, out);
}

accel_session_opts *accel_session_opts_ref(accel_session_opts *opts) {
  return zaccel::capi::ref(opts);
}

accel_session_opts *accel_session_opts_unref(accel_session_opts *opts) {
  return zaccel::capi::unref(opts);
}

int accel_session_opts_set_batch(accel_session_opts *opts, uint32_t images) {
  if (!opts) return -EINVAL;
  return guard(opts->ctx, [&] {
    if (images < 1 || images > 4096)
      zaccel::fail(EINVAL, "session batch ", images, ": 1 to 4096 images");
    opts->batch = images;
    return 0;
  });
}

int accel_session_opts_set_trace_spans(accel_session_opts *opts, uint32_t spans) {
  if (!opts) return -EINVAL;
  opts->trace_spans = spans;
  return 0;
}

int accel_session_new(accel_device *dev, accel_qmodel *q, const accel_plan *plan,
                      const accel_session_opts *opts, accel_session **out) {
  if (!dev || !q || !out) return -EINVAL;
  *out = nullptr;
  return guard(dev->ctx, [&] {
    if (plan && plan->q != q) zaccel::fail(EINVAL, "the plan was made for another model");
    const accel_session_opts defaults;
    const accel_session_opts &o = opts ? *opts : defaults;
    std::lock_guard l(dev->lock);
    zaccel::PlanOptions popts;
    popts.batch = std::clamp(o.batch, 1u, 8u);  // images per job: a pipeline across the slots
    const zaccel::Plan p =
        plan ? plan->plan : zaccel::make_plan(q->q, popts, zaccel::plan_target(*dev->dev));
    zaccel::SessionOptions so;
    so.trace_spans = o.trace_spans;
    auto s = std::make_unique<zaccel::Session>(*dev->dev, q->q, p, o.batch, so);
    *out = make<accel_session>(dev->ctx);
    (*out)->dev = accel_device_ref(dev);
    (*out)->q = accel_qmodel_ref(q);
    (*out)->plan = accel_plan_ref(const_cast<accel_plan *>(plan));
    (*out)->s = std::move(s);
    return 0;
  });
}

accel_session *accel_session_ref(accel_session *s) {
  return zaccel::capi::ref(s);
}

accel_session *accel_session_unref(accel_session *s) {
  if (s && s->refs.fetch_sub(1) == 1) {
    s->s.reset();
    accel_plan_unref(s->plan);
    accel_qmodel_unref(s->q);
    accel_device_unref(s->dev);
    accel_ctx_unref(s->ctx);
    delete s;
  }
  return nullptr;
}

int accel_session_run(accel_session *s, const float *input, uint32_t n, int16_t *codes,
                      float *logits) {
  if (!s || !input || !codes) return -EINVAL;
  return guard(s->ctx, [&] {
    const zaccel::QModel &q = s->q->q;
    const std::vector<int16_t> in = zaccel::quantize_input(q, n, input);
    {
      std::lock_guard l(s->dev->lock);
      s->s->run(n, in.data(), codes);
    }
    if (logits) zaccel::dequantize_output(q, n, codes, logits);
    return 0;
  });
}

int accel_session_stats(const accel_session *s, accel_run_stats *out) {
  if (!s || !out) return -EINVAL;
  return guard(s->ctx, [&] {
    const zaccel::RunStats st = s->s->stats();
    accel_run_stats r{};
    r.images = st.images;
    r.batches = st.batches;
    r.elapsed_ns = st.last_ns - st.first_ns;
    r.pr_ns = st.pr_ns;
    r.dma_ns = st.dma_ns;
    r.compute_ns = st.compute_ns;
    r.reconfigs = st.reconfigs;
    r.jobs = st.jobs;
    r.pr_hidden_ns = st.pr_hidden_ns;
    copy_sized(out, r, ACCEL_SIZE_THROUGH(accel_run_stats, pr_hidden_ns), "run statistics");
    return 0;
  });
}

int accel_session_write_trace(const accel_session *s, const char *path) {
  if (!s || !path) return -EINVAL;
  return guard(s->ctx, [&] {
    zaccel::write_chrome_trace(path, s->s->spans(), s->s->regions());
    return 0;
  });
}

}  // extern "C"

extern "C" int64_t accel_qmodel_build_partial(const accel_qmodel *q, uint32_t layer,
                                              accel_device *dev, uint32_t region,
                                              uint32_t weight_mode, uint8_t *buf, uint64_t size,
                                              accel_ip_id *id) {
  if (!q || !dev) return -EINVAL;
  int64_t result = 0;
  const int err = guard(q->ctx, [&] {
    if (layer >= q->q.layers.size()) zaccel::fail(EINVAL, "no layer ", layer);
    if (weight_mode != DRM_ZACCEL_WEIGHTS_EMBEDDED && weight_mode != DRM_ZACCEL_WEIGHTS_STREAMED &&
        weight_mode != DRM_ZACCEL_WEIGHTS_BATCH_CACHED) {
      zaccel::fail(EINVAL, "weight mode ", weight_mode);
    }
    const zaccel::QLayer &l = q->q.layers[layer];
    const zaccel::LayerIp ip =
        zaccel::layer_ip(l, zaccel::layer_input_bits(q->q)[layer], weight_mode);
    const std::vector<uint8_t> bits = zaccel::build_layer_partial(*dev->dev, l, ip, region);
    if (size >= bits.size()) {
      if (buf) std::copy(bits.begin(), bits.end(), buf);
      if (id) std::memcpy(id, &ip.id, sizeof(*id));
    }
    result = static_cast<int64_t>(bits.size());
    return 0;
  });
  return err < 0 ? err : result;
}
