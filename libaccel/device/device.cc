#include "device/device.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "util/checked.h"
#include "util/error.h"

namespace zaccel::dev {
namespace {

/// Boards the emulator knows by name: their overlays, built from dts/ (in the build tree, or
/// where `cmake --install` put them).
std::string board_overlay(const std::string &board) {
  if (board.find('/') != std::string::npos || board.ends_with(".dtbo")) return board;
  const std::string name = "/" + board + "-zaccel.dtbo";
  if (std::filesystem::exists(ZACCEL_DTBO_DIR + name)) return ZACCEL_DTBO_DIR + name;
  return ZACCEL_INSTALLED_DTBO_DIR + name;
}

constexpr const char *kDefaultBoard = "pynq-z2";

}  // namespace

uint64_t deadline_after_ms(uint64_t ms) {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000ull + static_cast<uint64_t>(ts.tv_nsec) +
         ms * 1'000'000ull;
}

const char *state_name(uint32_t state) {
  static const char *const kNames[] = {"unknown",     "power off",        "power up",
                                       "reset",       "firmware request", "firmware request error",
                                       "write init",  "write init error", "write",
                                       "write error", "write complete",   "write complete error",
                                       "operating"};
  return state < std::size(kNames) ? kNames[state] : "invalid";
}

std::unique_ptr<Device> Device::open(const std::string &uri) {
  if (uri.starts_with("emu:")) {
    const std::string board = uri.substr(4);
    return std::make_unique<Device>(
        open_emu_backend(board_overlay(board.empty() ? kDefaultBoard : board)));
  }
  if (uri.starts_with("/dev/")) return std::make_unique<Device>(open_kernel_backend(uri));
  if (!uri.empty()) fail(EINVAL, "device URI '", uri, "': expected emu:<board|.dtbo> or /dev/...");
  if (const std::string node = find_kernel_node(); !node.empty()) {
    return std::make_unique<Device>(open_kernel_backend(node));
  }
  return std::make_unique<Device>(open_emu_backend(board_overlay(kDefaultBoard)));
}

Device::Device(std::unique_ptr<Backend> backend)
    : backend_(std::move(backend)), name_(backend_->name()) {
  if (const uint64_t v = param(DRM_ZACCEL_PARAM_API_VERSION); v != ZACCEL_API_VERSION) {
    fail(EPROTO, name_, ": uapi version ", v, ", libaccel speaks ", ZACCEL_API_VERSION);
  }
}

void Device::call(unsigned long request, void *arg, const char *what) {
  if (const int r = ioctl(request, arg); r < 0) {
    fail(-r, name_, ": ", what, ": ", std::strerror(-r));
  }
}

uint64_t Device::param(uint32_t p, uint32_t index) {
  drm_zaccel_get_param a{p, index, 0};
  call(DRM_IOCTL_ZACCEL_GET_PARAM, &a, "GET_PARAM");
  return a.value;
}

drm_zaccel_region_query Device::query(uint32_t region, uint32_t slot) {
  drm_zaccel_region_query q{};
  q.region = region;
  q.slot = slot;
  call(DRM_IOCTL_ZACCEL_REGION_QUERY, &q, "REGION_QUERY");
  return q;
}

namespace {

struct Report {
  drm_zaccel_ext_report ext{};
  uint64_t chain(ReportSlot r) {
    if (!r.bo) return 0;
    ext.base.id = DRM_ZACCEL_EXT_REPORT;
    ext.handle = r.bo->handle();
    ext.offset = r.offset;
    return reinterpret_cast<uintptr_t>(&ext);
  }
};

}  // namespace

void Device::reconfig(uint32_t region, const Bo &bits, uint64_t offset, uint64_t size,
                      const std::vector<drm_zaccel_ip_id> &expected,
                      const std::vector<uint32_t> &waits, uint32_t signal, ReportSlot report) {
  Report rep;
  drm_zaccel_reconfig a{};
  a.region = region;
  a.bo_handle = bits.handle();
  a.bo_offset = offset;
  a.size = size;
  a.expected = reinterpret_cast<uintptr_t>(expected.data());
  a.slot_count = static_cast<uint32_t>(expected.size());
  a.in_syncs = reinterpret_cast<uintptr_t>(waits.data());
  a.in_sync_count = static_cast<uint32_t>(waits.size());
  a.out_sync = signal;
  a.extensions = rep.chain(report);
  call(DRM_IOCTL_ZACCEL_RECONFIG, &a, "RECONFIG");
}

void Device::submit(uint32_t region, uint32_t slot, const std::vector<drm_zaccel_arg> &args,
                    const std::vector<uint32_t> &regs, const std::vector<uint32_t> &waits,
                    uint32_t signal, ReportSlot report) {
  Report rep;
  drm_zaccel_submit a{};
  a.region = region;
  a.slot = slot;
  a.args = reinterpret_cast<uintptr_t>(args.data());
  a.arg_count = static_cast<uint32_t>(args.size());
  a.regs = reinterpret_cast<uintptr_t>(regs.data());
  a.reg_count = static_cast<uint32_t>(regs.size());
  a.in_syncs = reinterpret_cast<uintptr_t>(waits.data());
  a.in_sync_count = static_cast<uint32_t>(waits.size());
  a.out_sync = signal;
  a.extensions = rep.chain(report);
  call(DRM_IOCTL_ZACCEL_SUBMIT, &a, "SUBMIT");
}

Bo::Bo(Device &dev, uint64_t size, uint32_t flags) : dev_(dev) {
  const size_t bytes = host_size(size);  // mapped whole: on 32-bit hosts it must fit size_t
  drm_zaccel_bo_create a{};
  a.size = size;
  a.flags = flags;
  dev_.call(DRM_IOCTL_ZACCEL_BO_CREATE, &a, "BO_CREATE");
  handle_ = a.handle;
  size_ = size;
  try {
    map_ = dev_.backend().map(a.mmap_offset, bytes);
  } catch (...) {
    drm_gem_close c{handle_, 0};
    dev_.ioctl(DRM_IOCTL_GEM_CLOSE, &c);
    throw;
  }
}

Bo::~Bo() {
  dev_.backend().unmap(map_, static_cast<size_t>(size_));  // checked by the constructor
  drm_gem_close c{handle_, 0};
  dev_.ioctl(DRM_IOCTL_GEM_CLOSE, &c);
}

void Bo::prep(uint32_t flags, uint64_t deadline_ns) {
  drm_zaccel_bo_prep a{handle_, flags, deadline_ns};
  dev_.call(DRM_IOCTL_ZACCEL_BO_PREP, &a, "BO_PREP");
}

void Bo::fini() {
  drm_zaccel_bo_fini a{handle_, 0};
  dev_.call(DRM_IOCTL_ZACCEL_BO_FINI, &a, "BO_FINI");
}

Syncobj::Syncobj(Device &dev, bool signaled) : dev_(dev) {
  drm_syncobj_create a{0, signaled ? uint32_t{DRM_SYNCOBJ_CREATE_SIGNALED} : 0};
  dev_.call(DRM_IOCTL_SYNCOBJ_CREATE, &a, "SYNCOBJ_CREATE");
  handle_ = a.handle;
}

Syncobj::~Syncobj() {
  drm_syncobj_destroy a{handle_, 0};
  dev_.ioctl(DRM_IOCTL_SYNCOBJ_DESTROY, &a);
}

void Syncobj::wait(uint64_t deadline_ns) {
  drm_syncobj_wait a{};
  a.handles = reinterpret_cast<uintptr_t>(&handle_);
  a.count_handles = 1;
  a.timeout_nsec = static_cast<int64_t>(deadline_ns);
  a.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL | DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT;
  dev_.call(DRM_IOCTL_SYNCOBJ_WAIT, &a, "SYNCOBJ_WAIT");
}

}  // namespace zaccel::dev
