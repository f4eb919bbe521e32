// The kernel backend: the uapi passed to zaccel.ko through its DRM node (libdrm), nodes found
// with libudev. It works against any driver that implements uapi v1; until one is loaded,
// discovery finds nothing and opening a node that is not zaccel fails with ENODEV. Faults are
// injected through the driver's debugfs files, which only its no-hardware test mode has.
#include <fcntl.h>
#include <libudev.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <xf86drm.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <limits>
#include <memory>

#include "device/backend.h"
#include "util/error.h"
#include "zaccel_drm.h"

namespace zaccel::dev {
namespace {

constexpr const char *kDriverName = "zaccel";
// A BO's mmap offset is the driver's 64-bit fake offset; 32-bit hosts (armhf) reach it only with
// a 64-bit off_t (-D_FILE_OFFSET_BITS=64, top CMakeLists.txt), or the cast below would wrap.
static_assert(sizeof(off_t) == sizeof(uint64_t), "mmap offsets need a 64-bit off_t");

/// The DRM driver's name behind `fd`, or "" if it is not a DRM device.
std::string driver_name(int fd) {
  drmVersionPtr v = drmGetVersion(fd);
  if (!v) return "";
  std::string name(v->name, static_cast<size_t>(v->name_len));
  drmFreeVersion(v);
  return name;
}

const char *fault_name(emu::Fault f) {
  switch (f) {
    case emu::Fault::kPrCrc:
      return "pr_crc";
    case emu::Fault::kDmaTimeout:
      return "dma_timeout";
    case emu::Fault::kIpHang:
      return "ip_hang";
    default:
      return "none";
  }
}

class KernelBackend : public Backend {
 public:
  explicit KernelBackend(const std::string &node) : node_(node) {
    fd_ = ::open(node.c_str(), O_RDWR | O_CLOEXEC);
    if (fd_ < 0) fail(errno, node, ": ", std::strerror(errno));
    const std::string name = driver_name(fd_);
    if (name != kDriverName) {
      ::close(fd_);
      fail(ENODEV, node, " is not a zaccel device (driver '", name, "')");
    }
  }
  ~KernelBackend() override { ::close(fd_); }

  int ioctl(unsigned long request, void *arg) override {
    return drmIoctl(fd_, request, arg) == 0 ? 0 : -errno;
  }
  void *map(uint64_t offset, size_t size) override {
    if (offset > static_cast<uint64_t>(std::numeric_limits<off_t>::max())) {
      fail(EOVERFLOW, node_, ": mmap offset 0x", std::hex, offset, " past off_t");
    }
    void *p =
        ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, static_cast<off_t>(offset));
    if (p == MAP_FAILED) fail(errno, node_, ": mmap: ", std::strerror(errno));
    return p;
  }
  void unmap(void *addr, size_t size) override { ::munmap(addr, size); }
  std::string name() const override { return node_; }
  int inject_fault(uint32_t region, emu::Fault fault) override {
    const std::string path = debugfs_dir() + "/rp" + std::to_string(region) + "_fault";
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return errno == ENOENT ? -EOPNOTSUPP : -errno;
    const std::string what = fault_name(fault);
    const ssize_t n = ::write(fd, what.data(), what.size());
    const int err = n < 0 ? -errno : 0;
    ::close(fd);
    return err;
  }

 private:
  /// The driver's debugfs directory, "zaccel-<device name>"; the device is the node's parent
  /// in sysfs.
  std::string debugfs_dir() const {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) return "";
    const std::string link = "/sys/dev/char/" + std::to_string(major(st.st_rdev)) + ":" +
                             std::to_string(minor(st.st_rdev)) + "/device";
    char target[PATH_MAX];
    const ssize_t n = ::readlink(link.c_str(), target, sizeof(target) - 1);
    if (n <= 0) return "";
    const std::string device(target, static_cast<size_t>(n));
    return "/sys/kernel/debug/zaccel-" + device.substr(device.rfind('/') + 1);
  }

  std::string node_;
  int fd_ = -1;
};

struct UdevDeleter {
  void operator()(udev *u) const { udev_unref(u); }
  void operator()(udev_enumerate *e) const { udev_enumerate_unref(e); }
  void operator()(udev_device *d) const { udev_device_unref(d); }
};

bool is_zaccel(const char *devnode) {
  const int fd = ::open(devnode, O_RDWR | O_CLOEXEC);
  if (fd < 0) return false;
  const bool yes = driver_name(fd) == kDriverName;
  ::close(fd);
  return yes;
}

/// The first zaccel node of `subsystem` whose name starts with `prefix`.
std::string find_in(udev *u, const char *subsystem, const char *prefix) {
  std::unique_ptr<udev_enumerate, UdevDeleter> e(udev_enumerate_new(u));
  if (!e || udev_enumerate_add_match_subsystem(e.get(), subsystem) < 0 ||
      udev_enumerate_scan_devices(e.get()) < 0) {
    return "";
  }
  udev_list_entry *entry;
  udev_list_entry_foreach(entry, udev_enumerate_get_list_entry(e.get())) {
    std::unique_ptr<udev_device, UdevDeleter> d(
        udev_device_new_from_syspath(u, udev_list_entry_get_name(entry)));
    const char *node = d ? udev_device_get_devnode(d.get()) : nullptr;
    const char *sysname = d ? udev_device_get_sysname(d.get()) : nullptr;
    if (node && sysname && std::strncmp(sysname, prefix, std::strlen(prefix)) == 0 &&
        is_zaccel(node)) {
      return node;
    }
  }
  return "";
}

}  // namespace

std::unique_ptr<Backend> open_kernel_backend(const std::string &node) {
  return std::make_unique<KernelBackend>(node);
}

std::string find_kernel_node() {
  std::unique_ptr<udev, UdevDeleter> u(udev_new());
  if (!u) return "";
  // 6.2 and later: the accel class; 6.1: a render node.
  if (std::string n = find_in(u.get(), "accel", "accel"); !n.empty()) return n;
  return find_in(u.get(), "drm", "renderD");
}

}  // namespace zaccel::dev
