// libaccel's device layer: a zaccel device opened by URI, spoken to only through the uapi, so
// that nothing above it knows whether the emulator or the kernel driver answers.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "device/backend.h"
#include "zaccel_drm.h"

namespace zaccel::dev {

class Device;

/// A buffer object, mapped for the CPU; closed (GEM_CLOSE) when destroyed.
class Bo {
 public:
  Bo(Device &dev, uint64_t size, uint32_t flags);
  ~Bo();
  Bo(const Bo &) = delete;
  Bo &operator=(const Bo &) = delete;

  uint32_t handle() const { return handle_; }
  uint64_t size() const { return size_; }
  uint8_t *data() const { return static_cast<uint8_t *>(map_); }
  /// BO_PREP with an absolute CLOCK_MONOTONIC deadline; throws Error.
  void prep(uint32_t flags, uint64_t deadline_ns);
  /// BO_FINI; throws Error.
  void fini();

 private:
  Device &dev_;
  uint32_t handle_ = 0;
  uint64_t size_ = 0;
  void *map_ = nullptr;
};

/// A DRM sync object; destroyed with this.
class Syncobj {
 public:
  explicit Syncobj(Device &dev, bool signaled = false);
  ~Syncobj();
  Syncobj(const Syncobj &) = delete;
  Syncobj &operator=(const Syncobj &) = delete;
  uint32_t handle() const { return handle_; }
  /// Waits (absolute CLOCK_MONOTONIC deadline) for the fence; throws Error (ETIME).
  void wait(uint64_t deadline_ns);

 private:
  Device &dev_;
  uint32_t handle_ = 0;
};

/// A completion record's place: a BO and an offset.
struct ReportSlot {
  const Bo *bo = nullptr;
  uint64_t offset = 0;
};

class Device {
 public:
  /// "emu:<board or .dtbo>", a device node (/dev/accel/accelN, /dev/dri/renderDN), or "" for
  /// the first zaccel node libudev finds, else the emulated PYNQ-Z2. Throws Error.
  static std::unique_ptr<Device> open(const std::string &uri);

  explicit Device(std::unique_ptr<Backend> backend);

  /// The raw ioctl, 0 or -errno.
  int ioctl(unsigned long request, void *arg) { return backend_->ioctl(request, arg); }
  /// The ioctl, throwing Error with `what` on failure.
  void call(unsigned long request, void *arg, const char *what);
  Backend &backend() { return *backend_; }
  const std::string &name() const { return name_; }

  uint64_t param(uint32_t param, uint32_t index = 0);
  uint32_t num_regions() { return static_cast<uint32_t>(param(DRM_ZACCEL_PARAM_NUM_REGIONS)); }
  /// REGION_QUERY; `loaded` is the identity of `slot`'s IP.
  drm_zaccel_region_query query(uint32_t region, uint32_t slot = 0);

  void reconfig(uint32_t region, const Bo &bits, uint64_t offset, uint64_t size,
                const std::vector<drm_zaccel_ip_id> &expected, const std::vector<uint32_t> &waits,
                uint32_t signal, ReportSlot report = {});
  void submit(uint32_t region, uint32_t slot, const std::vector<drm_zaccel_arg> &args,
              const std::vector<uint32_t> &regs, const std::vector<uint32_t> &waits,
              uint32_t signal, ReportSlot report = {});

 private:
  std::unique_ptr<Backend> backend_;
  std::string name_;
};

/// CLOCK_MONOTONIC now plus `ms` milliseconds, in nanoseconds.
uint64_t deadline_after_ms(uint64_t ms);

/// The fpga-mgr style name of a region state ("operating", "write complete error", ...).
const char *state_name(uint32_t state);

}  // namespace zaccel::dev
