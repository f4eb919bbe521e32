// RECONFIG and SUBMIT: everything that can be checked without the IP is checked here, before
// anything is allocated or queued; the rest is found when the work runs (device_exec.cc).
#include <cerrno>
#include <cstring>

#include "fabric/device.h"
#include "ips/ip.h"
#include "util/error.h"

namespace zaccel::emu {
namespace {

template <typename T>
const T *user_array(uint64_t ptr, uint64_t count) {
  if (count && !ptr) fail(EFAULT, "null array");
  return reinterpret_cast<const T *>(ptr);
}

bool range_ok(uint64_t offset, uint64_t size, uint64_t limit) {
  return size != 0 && offset <= limit && size <= limit - offset;
}

}  // namespace

Region &Device::region_at(uint32_t region) {
  if (region >= regions_.size()) fail(EINVAL, "no region ", region);
  return regions_[region];
}

BoRange Device::bo_range(uint32_t handle, uint64_t offset, uint64_t size) const {
  std::shared_ptr<Bo> bo = lookup_bo(handle);
  if (!range_ok(offset, size, bo->size())) {
    fail(EINVAL, "range ", offset, "+", size, " outside BO ", handle, " of ", bo->size());
  }
  if (offset % 8) fail(EINVAL, "offset ", offset, " not 8-byte aligned");
  return {std::move(bo), offset, size};
}

void Device::read_waits(uint64_t ptr, uint32_t count, Work &w) const {
  if (count > DRM_ZACCEL_MAX_SYNCS)
    fail(EINVAL, count, " in-syncs, at most ", DRM_ZACCEL_MAX_SYNCS);
  const uint32_t *h = user_array<uint32_t>(ptr, count);
  for (uint32_t i = 0; i < count; ++i) {
    const auto it = syncobjs_.find(h[i]);
    if (it == syncobjs_.end()) fail(ENOENT, "no syncobj ", h[i]);
    if (!it->second) fail(EINVAL, "in-sync ", h[i], " has no fence");
    w.waits.push_back(it->second);
  }
}

void Device::read_extensions(uint64_t ptr, Work &w) const {
  for (unsigned n = 0; ptr; ++n) {
    if (n == DRM_ZACCEL_MAX_EXTENSIONS) fail(EINVAL, "extension chain too long");
    const auto *base = reinterpret_cast<const drm_zaccel_extension *>(ptr);
    if (base->flags) fail(EINVAL, "extension flags");
    if (base->id != DRM_ZACCEL_EXT_REPORT) fail(EINVAL, "unknown extension ", base->id);
    if (w.report.bo) fail(EINVAL, "extension given twice");
    const auto *rep = reinterpret_cast<const drm_zaccel_ext_report *>(ptr);
    if (rep->pad) fail(EINVAL, "non-zero pad in report extension");
    w.report = bo_range(rep->handle, rep->offset, sizeof(drm_zaccel_report));
    ptr = base->next;
  }
}

void Device::enqueue(std::unique_ptr<Work> w, uint32_t out_sync) {
  if (out_sync && !syncobjs_.count(out_sync)) fail(ENOENT, "no syncobj ", out_sync);
  w->done = std::make_shared<Fence>();
  w->seq = seq_++;
  w->not_before = host_now_;
  if (out_sync) syncobjs_[out_sync] = w->done;
  for (BoRange *r : {&w->report, &w->bitstream})
    if (r->bo) ++r->bo->busy;
  for (BoRange &r : w->args)
    ++r.bo->busy;
  queue_.push_back(std::move(w));
  recheck_ = true;
  changed_.notify_all();
}

void Device::reconfig(const drm_zaccel_reconfig &a) {
  const Region &r = region_at(a.region);
  if (a.flags) fail(EINVAL, "non-zero flags");
  if (a.slot_count == 0 || a.slot_count > DRM_ZACCEL_MAX_SLOTS) {
    fail(EINVAL, a.slot_count, " slots, 1 to ", DRM_ZACCEL_MAX_SLOTS, " allowed");
  }
  if (a.size != r.desc.partial_bytes()) {
    fail(EINVAL, "bitstream of ", a.size, " bytes, region ", a.region, " takes ",
         r.desc.partial_bytes());
  }
  auto w = std::make_unique<Work>();
  w->reconfig = true;
  w->region = a.region;
  const auto *expected = user_array<drm_zaccel_ip_id>(a.expected, a.slot_count);
  for (uint32_t i = 0; i < a.slot_count; ++i) {
    try {
      check_ip_id(expected[i]);
    } catch (const Error &e) {
      fail(EINVAL, "slot ", i, ": ", e.what());
    }
  }
  w->expected.assign(expected, expected + a.slot_count);
  w->bitstream = bo_range(a.bo_handle, a.bo_offset, a.size);
  read_extensions(a.extensions, *w);
  read_waits(a.in_syncs, a.in_sync_count, *w);
  enqueue(std::move(w), a.out_sync);
}

void Device::submit(const drm_zaccel_submit &a) {
  region_at(a.region);
  if (a.slot >= DRM_ZACCEL_MAX_SLOTS) fail(EINVAL, "no slot ", a.slot);
  if (a.flags || a.pad) fail(EINVAL, "non-zero flags or pad");
  if (a.arg_count == 0 || a.arg_count > DRM_ZACCEL_MAX_ARGS) {
    fail(EINVAL, a.arg_count, " arguments, 1 to ", DRM_ZACCEL_MAX_ARGS, " allowed");
  }
  if (a.reg_count > DRM_ZACCEL_MAX_REGS) fail(EINVAL, a.reg_count, " registers");
  auto w = std::make_unique<Work>();
  w->region = a.region;
  w->slot = a.slot;
  const auto *args = user_array<drm_zaccel_arg>(a.args, a.arg_count);
  for (uint32_t i = 0; i < a.arg_count; ++i) {
    if (!args[i].flags || args[i].flags & ~DRM_ZACCEL_ARG_FLAGS) fail(EINVAL, "arg ", i, " flags");
  }
  for (uint32_t i = 0; i < a.arg_count; ++i)
    w->args.push_back(bo_range(args[i].handle, args[i].offset, args[i].size));
  const auto *regs = user_array<uint32_t>(a.regs, a.reg_count);
  w->regs.assign(regs, regs + a.reg_count);
  for (uint32_t i = 0; i < a.arg_count; ++i)
    w->arg_flags.push_back(args[i].flags);
  read_extensions(a.extensions, *w);
  read_waits(a.in_syncs, a.in_sync_count, *w);
  enqueue(std::move(w), a.out_sync);
}

}  // namespace zaccel::emu
