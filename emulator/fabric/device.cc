#include "fabric/device.h"

#include <cerrno>
#include <cstring>
#include <new>

#include "util/error.h"

namespace zaccel::emu {

Device::Device(BoardDesc board) : board_(std::move(board)), pool_(board_.pool_bytes) {
  pcap_ = clock_.add_resource("pcap");
  ddr_ = clock_.add_resource("ddr");
  for (const RegionDesc &d : board_.regions) {
    Region r;
    r.desc = d;
    for (uint32_t slot = 0; slot < DRM_ZACCEL_MAX_SLOTS; ++slot)
      r.slot_clock.push_back(clock_.add_resource(d.name + " slot " + std::to_string(slot)));
    r.slot_idle.assign(DRM_ZACCEL_MAX_SLOTS, 0);
    r.kept.resize(DRM_ZACCEL_MAX_SLOTS);
    r.hp_port = clock_.add_resource(d.name + " HP ports");
    regions_.push_back(std::move(r));
  }
  worker_ = std::thread([this] { worker(); });
}

Device::~Device() {
  {
    std::lock_guard l(lock_);
    stop_ = true;
  }
  changed_.notify_all();
  worker_.join();
  // BO deleters touch pool_ and by_offset_: drop every BO while those still exist.
  std::lock_guard l(lock_);
  queue_.clear();
  mappings_.clear();
  bos_.clear();
}

int Device::ioctl(unsigned long request, void *arg) noexcept {
  if (!arg) return -EFAULT;
  std::unique_lock l(lock_);
  try {
    switch (request) {
      case DRM_IOCTL_ZACCEL_GET_PARAM:
        get_param(*static_cast<drm_zaccel_get_param *>(arg));
        break;
      case DRM_IOCTL_ZACCEL_BO_CREATE:
        bo_create(*static_cast<drm_zaccel_bo_create *>(arg));
        break;
      case DRM_IOCTL_ZACCEL_BO_PREP:
        bo_prep(*static_cast<drm_zaccel_bo_prep *>(arg), l);
        break;
      case DRM_IOCTL_ZACCEL_BO_FINI:
        bo_fini(*static_cast<drm_zaccel_bo_fini *>(arg));
        break;
      case DRM_IOCTL_ZACCEL_RECONFIG:
        reconfig(*static_cast<drm_zaccel_reconfig *>(arg));
        break;
      case DRM_IOCTL_ZACCEL_SUBMIT:
        submit(*static_cast<drm_zaccel_submit *>(arg));
        break;
      case DRM_IOCTL_ZACCEL_REGION_QUERY:
        region_query(*static_cast<drm_zaccel_region_query *>(arg));
        break;
      case DRM_IOCTL_GEM_CLOSE:
        gem_close(*static_cast<drm_gem_close *>(arg));
        break;
      case DRM_IOCTL_SYNCOBJ_CREATE:
        syncobj_create(*static_cast<drm_syncobj_create *>(arg));
        break;
      case DRM_IOCTL_SYNCOBJ_DESTROY:
        syncobj_destroy(*static_cast<drm_syncobj_destroy *>(arg));
        break;
      case DRM_IOCTL_SYNCOBJ_WAIT:
        syncobj_wait(*static_cast<drm_syncobj_wait *>(arg), l);
        break;
      case DRM_IOCTL_SYNCOBJ_RESET:
        syncobj_reset_or_signal(*static_cast<drm_syncobj_array *>(arg), false);
        break;
      case DRM_IOCTL_SYNCOBJ_SIGNAL:
        syncobj_reset_or_signal(*static_cast<drm_syncobj_array *>(arg), true);
        break;
      default:
        return -ENOTTY;
    }
  } catch (const Error &e) {
    return -e.err();
  } catch (const std::bad_alloc &) {
    return -ENOMEM;
  }
  return 0;
}

void Device::get_param(drm_zaccel_get_param &a) const {
  const auto global = [&](uint64_t v) {
    if (a.index != 0) fail(EINVAL, "global parameter with an index");
    a.value = v;
  };
  const auto region = [&]() -> const RegionDesc & {
    if (a.index >= regions_.size()) fail(EINVAL, "no region ", a.index);
    return regions_[a.index].desc;
  };
  switch (a.param) {
    case DRM_ZACCEL_PARAM_API_VERSION:
      return global(ZACCEL_API_VERSION);
    case DRM_ZACCEL_PARAM_CAPABILITIES:
      return global(DRM_ZACCEL_CAP_EMULATED | DRM_ZACCEL_CAP_VIRTUAL_TIME);
    case DRM_ZACCEL_PARAM_NUM_REGIONS:
      return global(regions_.size());
    case DRM_ZACCEL_PARAM_PL_CLOCK_HZ:
      return global(board_.pl_clock_hz);
    case DRM_ZACCEL_PARAM_PCAP_BYTES_PER_S:
      return global(board_.pcap_bytes_per_s);
    case DRM_ZACCEL_PARAM_DDR_BYTES_PER_S:
      return global(board_.ddr_bytes_per_s);
    case DRM_ZACCEL_PARAM_HP_BYTES_PER_S:
      return global(board_.hp_port_bytes_per_s);
    case DRM_ZACCEL_PARAM_MAX_BO_SIZE:
      return global(pool_.bytes());
    case DRM_ZACCEL_PARAM_REGION_FRAMES:
      a.value = region().frames;
      return;
    case DRM_ZACCEL_PARAM_REGION_INTERFACE_ID:
      a.value = region().interface_id;
      return;
    case DRM_ZACCEL_PARAM_REGION_PARTIAL_SIZE:
      a.value = region().partial_bytes();
      return;
    case DRM_ZACCEL_PARAM_REGION_DSP:
      a.value = region().budget.dsp;
      return;
    case DRM_ZACCEL_PARAM_REGION_BRAM18:
      a.value = region().budget.bram18;
      return;
    case DRM_ZACCEL_PARAM_REGION_LUT:
      a.value = region().budget.lut;
      return;
    case DRM_ZACCEL_PARAM_REGION_HP_PORTS:
      a.value = region().hp_ports;
      return;
    case DRM_ZACCEL_PARAM_REGION_FF:
      a.value = region().budget.ff;
      return;
    default:
      fail(EINVAL, "unknown parameter ", a.param);
  }
}

void Device::region_query(drm_zaccel_region_query &a) const {
  if (a.pad) fail(EINVAL, "non-zero pad");
  if (a.region >= regions_.size()) fail(EINVAL, "no region ", a.region);
  if (a.slot >= DRM_ZACCEL_MAX_SLOTS) fail(EINVAL, "no slot ", a.slot);
  const Region &r = regions_[a.region];
  a.state = r.state;
  a.flags =
      (r.decoupled ? DRM_ZACCEL_REGION_DECOUPLED : 0) | (r.ip ? DRM_ZACCEL_REGION_IP_VALID : 0);
  a.frames = r.desc.frames;
  a.slots = r.ip ? static_cast<uint32_t>(r.ip->ips.size()) : 0;
  a.loaded = a.slot < a.slots ? r.ip->ips[a.slot].id : drm_zaccel_ip_id{};
  a.reconfigs = r.reconfigs;
  a.jobs = r.jobs;
  a.bytes = r.bytes;
  a.errors = r.errors;
  a.last_error = r.last_error;
}

void *Device::map(uint64_t offset, uint64_t size) {
  std::lock_guard l(lock_);
  const auto it = by_offset_.find(offset);
  std::shared_ptr<Bo> bo = it == by_offset_.end() ? nullptr : it->second.lock();
  if (!bo) fail(EINVAL, "no buffer object at mmap offset 0x", std::hex, offset);
  if (size == 0 || size > bo->size()) fail(EINVAL, "mapping of ", size, " bytes past the BO");
  void *addr = bo->cpu();
  mappings_.emplace(addr, std::move(bo));
  return addr;
}

void Device::unmap(void *addr) {
  std::lock_guard l(lock_);
  if (const auto it = mappings_.find(addr); it != mappings_.end()) mappings_.erase(it);
}

void Device::inject(uint32_t region, Fault fault) {
  std::lock_guard l(lock_);
  region_at(region).fault = fault;
}

}  // namespace zaccel::emu
