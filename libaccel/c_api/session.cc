// The C boundary of sessions: a quantized model run as jobs on a device.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "c_api/guard.h"
#include "plan/target.h"

using zaccel::capi::guard;
using zaccel::capi::make;

extern "C" {

int accel_session_new(accel_device *dev, accel_qmodel *q, const accel_plan *plan, uint32_t batch,
                      accel_session **out) {
  if (!dev || !q || !out || (plan && plan->q != q)) return -EINVAL;
  *out = nullptr;
  return guard(dev->ctx, [&] {
    std::lock_guard l(dev->lock);
    zaccel::PlanOptions opts;
    opts.batch = std::clamp(batch, 1u, 8u);  // images per job: a pipeline across the slots
    const zaccel::Plan p =
        plan ? plan->plan : zaccel::make_plan(q->q, opts, zaccel::plan_target(*dev->dev));
    auto s = std::make_unique<zaccel::Session>(*dev->dev, q->q, p, batch);
    *out = make<accel_session>(dev->ctx);
    (*out)->dev = accel_device_ref(dev);
    (*out)->q = accel_qmodel_ref(q);
    (*out)->s = std::move(s);
    return 0;
  });
}

accel_session *accel_session_unref(accel_session *s) {
  if (s && s->refs.fetch_sub(1) == 1) {
    s->s.reset();
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
    if (logits) {
      const float scale = std::ldexp(1.0f, -q.out_frac());
      for (size_t i = 0; i < size_t{n} * q.output.size(); ++i)
        logits[i] = static_cast<float>(codes[i]) * scale;
    }
    return 0;
  });
}

int accel_session_stats(const accel_session *s, accel_run_stats *out) {
  if (!s || !out) return -EINVAL;
  const zaccel::RunStats &st = s->s->stats();
  *out = {st.images,    st.batches, st.last_ns - st.first_ns,
          st.pr_ns,     st.dma_ns,  st.compute_ns,
          st.reconfigs, st.jobs,    zaccel::hidden_pr_ns(s->s->spans(), s->s->regions())};
  return 0;
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
