// The C boundary of the device layer: devices, BOs, fences, reconfigurations and jobs.
#include <cstring>

#include "c_api/guard.h"
#include "c_api/sized.h"

using zaccel::capi::fence_handles;
using zaccel::capi::guard;
using zaccel::capi::make;

static_assert(sizeof(accel_ip_id) == sizeof(drm_zaccel_ip_id));
static_assert(offsetof(accel_ip_id, lanes) == offsetof(drm_zaccel_ip_id, lanes));

namespace {

/// Drops the object's parts and its device reference on the last reference.
template <typename T>
T *unref_dev_object(T *obj) {
  if (obj && obj->refs.fetch_sub(1) == 1) {
    accel_device *dev = obj->dev;
    accel_ctx *ctx = obj->ctx;
    delete obj;
    accel_device_unref(dev);
    accel_ctx_unref(ctx);
  }
  return nullptr;
}

}  // namespace

std::vector<uint32_t> zaccel::capi::fence_handles(accel_fence *const *waits, unsigned n) {
  std::vector<uint32_t> h;
  for (unsigned i = 0; i < n; ++i) {
    if (!waits[i]) zaccel::fail(EINVAL, "null fence in wait list");
    h.push_back(waits[i]->sync->handle());
  }
  return h;
}

extern "C" {

int accel_device_open(accel_ctx *ctx, const char *uri, accel_device **out) {
  if (!ctx || !out) return -EINVAL;
  *out = nullptr;
  return guard(ctx, [&] {
    auto dev = zaccel::dev::Device::open(uri ? uri : "");
    *out = make<accel_device>(ctx);
    (*out)->dev = std::move(dev);
    return 0;
  });
}

accel_device *accel_device_ref(accel_device *dev) {
  return zaccel::capi::ref(dev);
}

accel_device *accel_device_unref(accel_device *dev) {
  return zaccel::capi::unref(dev);
}

const char *accel_device_name(const accel_device *dev) {
  return dev ? dev->dev->name().c_str() : nullptr;
}

int accel_device_param(accel_device *dev, uint32_t param, uint32_t index, uint64_t *value) {
  if (!dev || !value) return -EINVAL;
  return guard(dev->ctx, [&] {
    *value = dev->dev->param(param, index);
    return 0;
  });
}

int accel_device_region_info(accel_device *dev, uint32_t region, uint32_t slot,
                             accel_region_info *info) {
  if (!dev || !info) return -EINVAL;
  return guard(dev->ctx, [&] {
    const drm_zaccel_region_query q = dev->dev->query(region, slot);
    accel_region_info r{};
    r.state = q.state;
    r.flags = q.flags;
    r.frames = q.frames;
    r.slots = q.slots;
    r.last_error = q.last_error;
    r.reconfigs = q.reconfigs;
    r.jobs = q.jobs;
    r.bytes = q.bytes;
    r.errors = q.errors;
    std::memcpy(&r.loaded, &q.loaded, sizeof(r.loaded));
    zaccel::capi::copy_sized(info, r, ACCEL_SIZE_THROUGH(accel_region_info, loaded), "region info");
    return 0;
  });
}

const char *accel_region_state_name(uint32_t state) {
  return zaccel::dev::state_name(state);
}

int accel_bo_new(accel_device *dev, uint64_t size, uint32_t flags, accel_bo **out) {
  if (!dev || !out) return -EINVAL;
  *out = nullptr;
  return guard(dev->ctx, [&] {
    auto bo = std::make_unique<zaccel::dev::Bo>(*dev->dev, size, flags);
    *out = make<accel_bo>(dev->ctx);
    (*out)->dev = accel_device_ref(dev);
    (*out)->bo = std::move(bo);
    return 0;
  });
}

accel_bo *accel_bo_ref(accel_bo *bo) {
  return zaccel::capi::ref(bo);
}

accel_bo *accel_bo_unref(accel_bo *bo) {
  return unref_dev_object(bo);
}

void *accel_bo_map(const accel_bo *bo) {
  return bo ? bo->bo->data() : nullptr;
}

uint64_t accel_bo_size(const accel_bo *bo) {
  return bo ? bo->bo->size() : 0;
}

int accel_bo_sync_for_cpu(accel_bo *bo, uint32_t flags, uint32_t timeout_ms) {
  if (!bo) return -EINVAL;
  return guard(bo->ctx, [&] {
    bo->bo->prep(flags, zaccel::dev::deadline_after_ms(timeout_ms));
    return 0;
  });
}

int accel_bo_sync_for_device(accel_bo *bo) {
  if (!bo) return -EINVAL;
  return guard(bo->ctx, [&] {
    bo->bo->fini();
    return 0;
  });
}

int accel_fence_new(accel_device *dev, accel_fence **out) {
  if (!dev || !out) return -EINVAL;
  *out = nullptr;
  return guard(dev->ctx, [&] {
    auto sync = std::make_unique<zaccel::dev::Syncobj>(*dev->dev);
    *out = make<accel_fence>(dev->ctx);
    (*out)->dev = accel_device_ref(dev);
    (*out)->sync = std::move(sync);
    return 0;
  });
}

accel_fence *accel_fence_ref(accel_fence *f) {
  return zaccel::capi::ref(f);
}

accel_fence *accel_fence_unref(accel_fence *f) {
  return unref_dev_object(f);
}

int accel_fence_wait(accel_fence *f, uint32_t timeout_ms) {
  if (!f) return -EINVAL;
  return guard(f->ctx, [&] {
    f->sync->wait(zaccel::dev::deadline_after_ms(timeout_ms));
    return 0;
  });
}

int accel_device_reconfigure(accel_device *dev, uint32_t region, accel_bo *bits, uint64_t offset,
                             uint64_t size, const accel_ip_id *expected, unsigned nexpected,
                             accel_fence *const *waits, unsigned nwaits, accel_fence *done) {
  if (!dev || !bits || !expected || (nwaits && !waits)) return -EINVAL;
  return guard(dev->ctx, [&] {
    if (nexpected == 0 || nexpected > DRM_ZACCEL_MAX_SLOTS) {
      zaccel::fail(EINVAL, nexpected, " expected identities, 1 to ", DRM_ZACCEL_MAX_SLOTS);
    }
    std::vector<drm_zaccel_ip_id> ids(nexpected);
    std::memcpy(ids.data(), expected, nexpected * sizeof(ids[0]));
    dev->dev->reconfig(region, *bits->bo, offset, size, ids, fence_handles(waits, nwaits),
                       done ? done->sync->handle() : 0);
    return 0;
  });
}

int accel_device_submit(accel_device *dev, uint32_t region, uint32_t slot, const accel_arg *args,
                        unsigned nargs, const uint32_t *regs, unsigned nregs,
                        accel_fence *const *waits, unsigned nwaits, accel_fence *done) {
  if (!dev || (nargs && !args) || (nregs && !regs) || (nwaits && !waits)) return -EINVAL;
  return guard(dev->ctx, [&] {
    std::vector<drm_zaccel_arg> a;
    for (unsigned i = 0; i < nargs; ++i) {
      if (!args[i].bo) zaccel::fail(EINVAL, "argument ", i, " has no BO");
      if (args[i].pad) zaccel::fail(EINVAL, "argument ", i, ": pad must be zero");
      a.push_back({args[i].bo->bo->handle(), args[i].flags, args[i].offset, args[i].size});
    }
    dev->dev->submit(region, slot, a, std::vector<uint32_t>(regs, regs + nregs),
                     fence_handles(waits, nwaits), done ? done->sync->handle() : 0);
    return 0;
  });
}

}  // extern "C"
