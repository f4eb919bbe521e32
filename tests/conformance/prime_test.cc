// dma-buf sharing (DRM PRIME) through the kernel driver: a BO exported, mapped through its
// dma-buf and imported back; a buffer of another DRM device (vgem, where the kernel has it)
// imported and used by a job. The emulator has no dma-bufs: these tests skip there.
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xf86drm.h>

#include "conformance/fixture.h"

namespace zaccel::conformance {
namespace {

constexpr uint64_t kWait = 10'000;

class Prime : public Conformance {
 protected:
  void SetUp() override {
    if (GetParam().rfind("emu:", 0) == 0) GTEST_SKIP() << "the emulator has no dma-bufs";
    Conformance::SetUp();
  }
  /// DRM_IOCTL_PRIME_FD_TO_HANDLE on the zaccel device: 0 or -errno.
  int import(int fd, uint32_t &handle) {
    drm_prime_handle p{};
    p.fd = fd;
    const int ret = dev_->ioctl(DRM_IOCTL_PRIME_FD_TO_HANDLE, &p);
    handle = p.handle;
    return ret;
  }
};

TEST_P(Prime, ExportMapAndImportBack) {
  dev::Bo bo(*dev_, 8192, DRM_ZACCEL_BO_WRITE_COMBINED);
  for (size_t i = 0; i < bo.size(); ++i)
    bo.data()[i] = static_cast<uint8_t>(i * 7);
  drm_prime_handle p{};
  p.handle = bo.handle();
  p.flags = DRM_CLOEXEC | DRM_RDWR;
  ASSERT_EQ(dev_->ioctl(DRM_IOCTL_PRIME_HANDLE_TO_FD, &p), 0);
  const size_t size = static_cast<size_t>(bo.size());  // mapped whole: fits
  void *map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, p.fd, 0);
  ASSERT_NE(map, MAP_FAILED) << "the dma-buf maps";
  EXPECT_EQ(std::memcmp(map, bo.data(), size), 0) << "the same pages";
  ::munmap(map, size);
  uint32_t back = 0;
  EXPECT_EQ(import(p.fd, back), 0);
  EXPECT_EQ(back, bo.handle()) << "a device's own dma-buf imports as its BO";
  ::close(p.fd);
  p.handle = 9999;
  EXPECT_EQ(dev_->ioctl(DRM_IOCTL_PRIME_HANDLE_TO_FD, &p), -ENOENT);
}

TEST_P(Prime, ForeignBufferServesAsJobArgument) {
  const int vgem = ::open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
  drmVersionPtr v = vgem >= 0 ? drmGetVersion(vgem) : nullptr;
  const bool is_vgem = v && std::string(v->name, static_cast<size_t>(v->name_len)) == "vgem";
  if (v) drmFreeVersion(v);
  if (!is_vgem) {
    if (vgem >= 0) ::close(vgem);
    GTEST_SKIP() << "no vgem device to import from";
  }
  // One page: contiguous however the exporter allocates it.
  drm_mode_create_dumb dumb{};
  dumb.width = 1024;
  dumb.height = 1;
  dumb.bpp = 32;
  ASSERT_EQ(drmIoctl(vgem, DRM_IOCTL_MODE_CREATE_DUMB, &dumb), 0);
  int fd = -1;
  ASSERT_EQ(drmPrimeHandleToFD(vgem, dumb.handle, DRM_CLOEXEC | DRM_RDWR, &fd), 0);
  uint32_t handle = 0;
  ASSERT_EQ(import(fd, handle), 0);
  ASSERT_EQ(load(0, partial(0, {test_ip()}), {test_ip()}).error, 0u);
  dev::Syncobj done(*dev_);
  const size_t rec = next_record_++;
  dev_->submit(0, 0,
               {{in_->handle(), DRM_ZACCEL_ARG_READ, 0, in_->size()},
                {handle, DRM_ZACCEL_ARG_WRITE, 0, dumb.size}},
               {kImages, static_cast<uint32_t>(kShift)}, {}, done.handle(),
               {reports_.get(), rec * sizeof(drm_zaccel_report)});
  done.wait(dev::deadline_after_ms(kWait));
  EXPECT_EQ(read_report(rec).error, 0u);
  // The device has no kernel mapping of a foreign buffer: no completion record in it.
  drm_zaccel_ext_report ext{};
  ext.base.id = DRM_ZACCEL_EXT_REPORT;
  ext.handle = handle;
  const std::vector<drm_zaccel_arg> args = {{in_->handle(), DRM_ZACCEL_ARG_READ, 0, in_->size()},
                                            {out_->handle(), DRM_ZACCEL_ARG_WRITE, 0, 4096}};
  const std::vector<uint32_t> regs = {kImages, static_cast<uint32_t>(kShift)};
  drm_zaccel_submit s{};
  s.arg_count = 2;
  s.args = reinterpret_cast<uintptr_t>(args.data());
  s.reg_count = 2;
  s.regs = reinterpret_cast<uintptr_t>(regs.data());
  s.extensions = reinterpret_cast<uintptr_t>(&ext);
  EXPECT_EQ(dev_->ioctl(DRM_IOCTL_ZACCEL_SUBMIT, &s), -EINVAL);
  drm_gem_close close{};
  close.handle = handle;
  EXPECT_EQ(dev_->ioctl(DRM_IOCTL_GEM_CLOSE, &close), 0);
  ::close(fd);
  ::close(vgem);
}

INSTANTIATE_TEST_SUITE_P(Backends, Prime, ::testing::ValuesIn(backends()));

}  // namespace
}  // namespace zaccel::conformance
