// Buffer objects and sync objects of the emulated device: BO_CREATE, BO_PREP, BO_FINI,
// GEM_CLOSE and the DRM core's SYNCOBJ_* ioctls, with the DRM core's errno.
#include <cerrno>
#include <chrono>

#include "fabric/device.h"
#include "util/error.h"

namespace zaccel::emu {
namespace {

using Deadline = std::chrono::steady_clock::time_point;  // CLOCK_MONOTONIC

Deadline deadline(int64_t ns) {
  return Deadline(std::chrono::nanoseconds(ns < 0 ? 0 : ns));
}

const uint32_t *handles_at(uint64_t ptr, uint32_t count) {
  if (count && !ptr) fail(EFAULT, "null handle array");
  return reinterpret_cast<const uint32_t *>(ptr);
}

}  // namespace

void Device::bo_create(drm_zaccel_bo_create &a) {
  if (a.flags & ~DRM_ZACCEL_BO_FLAGS) fail(EINVAL, "unknown BO flags");
  if (a.size == 0 || a.size > pool_.bytes()) fail(EINVAL, "BO size ", a.size, " out of range");
  const uint64_t size = (a.size + kPageSize - 1) / kPageSize * kPageSize;
  const uint64_t addr = pool_.alloc(size);
  if (!addr) fail(ENOMEM, "DMA pool exhausted");
  const uint32_t handle = next_handle_++;
  const uint64_t offset = (uint64_t{handle} + 0x10000) << 20;
  // The last reference drops with lock_ held (GEM_CLOSE, unmap, or the worker's cleanup).
  auto bo = std::shared_ptr<Bo>(new Bo(size, a.flags & DRM_ZACCEL_BO_WRITE_COMBINED, addr, offset),
                                [this](Bo *b) {
                                  pool_.free(b->dev_addr());
                                  by_offset_.erase(b->mmap_offset());
                                  delete b;
                                });
  bos_.emplace(handle, bo);
  by_offset_.emplace(offset, bo);
  a.handle = handle;
  a.mmap_offset = offset;
  a.dev_addr = addr;
}

std::shared_ptr<Bo> Device::lookup_bo(uint32_t handle) const {
  const auto it = bos_.find(handle);
  if (it == bos_.end()) fail(ENOENT, "no BO ", handle);
  return it->second;
}

void Device::bo_prep(const drm_zaccel_bo_prep &a, std::unique_lock<std::mutex> &l) {
  if (!a.flags || a.flags & ~DRM_ZACCEL_PREP_FLAGS) fail(EINVAL, "bad BO_PREP flags");
  const std::shared_ptr<Bo> bo = lookup_bo(a.handle);
  if (!wait_host(l, deadline(static_cast<int64_t>(a.timeout_ns)), [&] { return bo->busy == 0; })) {
    fail(ETIMEDOUT, "BO ", a.handle, " still busy");
  }
  bo->sync_for_cpu(a.flags & DRM_ZACCEL_PREP_READ);
}

void Device::bo_fini(const drm_zaccel_bo_fini &a) {
  if (a.pad) fail(EINVAL, "non-zero pad");
  lookup_bo(a.handle)->sync_for_device();
}

void Device::gem_close(const drm_gem_close &a) {
  if (a.pad) fail(EINVAL, "non-zero pad");
  if (!bos_.erase(a.handle)) fail(EINVAL, "no BO ", a.handle);
}

void Device::syncobj_create(drm_syncobj_create &a) {
  if (a.flags & ~DRM_SYNCOBJ_CREATE_SIGNALED) fail(EINVAL, "unknown syncobj flags");
  std::shared_ptr<Fence> f;
  if (a.flags & DRM_SYNCOBJ_CREATE_SIGNALED) {
    f = std::make_shared<Fence>();
    f->signaled = true;
  }
  a.handle = next_handle_++;
  syncobjs_.emplace(a.handle, std::move(f));
}

void Device::syncobj_destroy(const drm_syncobj_destroy &a) {
  if (a.pad) fail(EINVAL, "non-zero pad");
  if (!syncobjs_.erase(a.handle)) fail(EINVAL, "no syncobj ", a.handle);
}

void Device::syncobj_reset_or_signal(const drm_syncobj_array &a, bool signal) {
  if (a.pad) fail(EINVAL, "non-zero pad");
  if (a.count_handles == 0) fail(EINVAL, "no handles");
  const uint32_t *h = handles_at(a.handles, a.count_handles);
  for (uint32_t i = 0; i < a.count_handles; ++i) {
    if (!syncobjs_.count(h[i])) fail(ENOENT, "no syncobj ", h[i]);
  }
  for (uint32_t i = 0; i < a.count_handles; ++i) {
    std::shared_ptr<Fence> f;
    if (signal) {
      f = std::make_shared<Fence>();
      f->signaled = true;
    }
    syncobjs_[h[i]] = std::move(f);
  }
  changed_.notify_all();
}

void Device::syncobj_wait(drm_syncobj_wait &a, std::unique_lock<std::mutex> &l) {
  constexpr uint32_t kFlags =
      DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL | DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT;
  if (a.flags & ~kFlags) fail(EINVAL, "unknown wait flags");
  if (a.count_handles == 0) fail(EINVAL, "no handles");
  const uint32_t *h = handles_at(a.handles, a.count_handles);
  const bool all = a.flags & DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL;
  const bool for_submit = a.flags & DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT;
  // Without WAIT_FOR_SUBMIT, the fences are those present now, and each must exist.
  std::vector<std::shared_ptr<Fence>> fences(a.count_handles);
  for (uint32_t i = 0; i < a.count_handles; ++i) {
    const auto it = syncobjs_.find(h[i]);
    if (it == syncobjs_.end()) fail(ENOENT, "no syncobj ", h[i]);
    if (!it->second && !for_submit) fail(EINVAL, "syncobj ", h[i], " has no fence");
    fences[i] = it->second;
  }
  const auto done = [&] {
    bool every = true;
    for (uint32_t i = 0; i < a.count_handles; ++i) {
      if (for_submit) {
        const auto it = syncobjs_.find(h[i]);
        fences[i] = it == syncobjs_.end() ? nullptr : it->second;
      }
      const bool s = fences[i] && fences[i]->signaled;
      if (s && !all) {
        a.first_signaled = i;
        return true;
      }
      every = every && s;
    }
    return all && every;
  };
  if (!wait_host(l, deadline(a.timeout_nsec), done)) fail(ETIME, "wait timed out");
  // The host now knows the virtual time of what it waited for.
  for (uint32_t i = 0; i < a.count_handles; ++i) {
    if (all || i == a.first_signaled) host_now_ = std::max(host_now_, fences[i]->at);
  }
}

}  // namespace zaccel::emu
