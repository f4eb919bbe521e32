// The device interface: the uapi (zaccel_drm.h plus the DRM core ioctls it relies on:
// GEM_CLOSE and the SYNCOBJ_* family) and mmap, nothing more. The kernel backend passes these to
// /dev/accel/accelN; the emulator backend to the emulated fabric. Everything above this file
// speaks only the uapi, so it cannot tell the backends apart.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "fabric/work.h"  // emu::Fault

namespace zaccel::dev {

class Backend {
 public:
  virtual ~Backend() = default;
  /// One ioctl with a uapi request code and its argument struct: 0 or -errno.
  virtual int ioctl(unsigned long request, void *arg) = 0;
  /// Maps `size` bytes at a BO's mmap offset for reading and writing; throws Error.
  virtual void *map(uint64_t offset, size_t size) = 0;
  virtual void unmap(void *addr, size_t size) = 0;
  /// What was opened: "emu:<overlay path>" or the device node.
  virtual std::string name() const = 0;
  /// Test hook: makes the region's next reconfiguration or job fail. EOPNOTSUPP unless the
  /// backend can inject faults.
  virtual int inject_fault(uint32_t region, emu::Fault fault);
};

/// Opens the kernel driver's node (/dev/accel/accelN or a render node). Throws Error: ENODEV
/// if the node is not a zaccel device, or the open's errno.
std::unique_ptr<Backend> open_kernel_backend(const std::string &node);

/// The first zaccel node libudev finds (accel class, then drm render nodes), or "" if none.
std::string find_kernel_node();

/// Opens the emulated fabric described by a device-tree overlay (.dtbo).
std::unique_ptr<Backend> open_emu_backend(const std::string &dtbo);

}  // namespace zaccel::dev
