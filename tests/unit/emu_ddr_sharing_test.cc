// The regions share the DDR: a long transfer of one region does not hold back the transfers of
// another that are ready at the same virtual time; the DDR serves both in turn.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "fabric/board.h"
#include "fabric/device.h"
#include "ips/ip.h"

namespace zaccel::emu {
namespace {

/// 1x6x6 -> 2x4x4 conv, embedded weights: 72 bytes in and 64 out per image; 64 lanes, so an
/// image takes 5 cycles (50 ns), less than two regions' inputs on the shared DDR (68 ns).
drm_zaccel_ip_id small_conv() {
  drm_zaccel_ip_id id{};
  id.magic = ZACCEL_IP_MAGIC;
  id.kind = DRM_ZACCEL_IP_CONV;
  id.in_c = 1;
  id.in_h = id.in_w = 6;
  id.out_c = 2;
  id.out_h = id.out_w = 4;
  id.kernel = 3 << 16 | 3;
  id.stride = 1 << 16 | 1;
  id.bits = 16 << 16 | 16 << 8 | 16;
  id.weight_mode = DRM_ZACCEL_WEIGHTS_EMBEDDED;
  id.lanes = 64;
  return id;
}

constexpr uint64_t kInPerImage = 72, kOutPerImage = 64;

/// A device with the conv loaded in both regions, and a buffer for jobs of up to kMaxImages.
class DdrSharing : public ::testing::Test {
 protected:
  static constexpr uint32_t kMaxImages = 20000;

  void SetUp() override {
    const drm_zaccel_ip_id id = small_conv();
    IpImage ip;
    ip.id = id;
    ip.weights.assign(18, 1);
    act_ = bo(kMaxImages * (kInPerImage + kOutPerImage) * 2);
    rep_ = bo(4096);
    for (uint32_t r = 0; r < 2; ++r) {
      const RegionDesc &desc = dev_.board().regions.at(r);
      const std::vector<uint8_t> bits = build_partial({desc.interface_id, {ip}}, desc);
      const drm_zaccel_bo_create p = bo(bits.size());
      std::memcpy(dev_.map(p.mmap_offset, bits.size()), bits.data(), bits.size());
      drm_zaccel_reconfig rc{};
      rc.region = r;
      rc.bo_handle = p.handle;
      rc.size = bits.size();
      rc.expected = reinterpret_cast<uintptr_t>(&id);
      rc.slot_count = 1;
      loaded_[r] = syncobj();
      rc.out_sync = loaded_[r];
      ASSERT_EQ(dev_.ioctl(DRM_IOCTL_ZACCEL_RECONFIG, &rc), 0);
    }
  }

  drm_zaccel_bo_create bo(uint64_t size) {
    drm_zaccel_bo_create c{size, DRM_ZACCEL_BO_WRITE_COMBINED, 0, 0, 0};
    EXPECT_EQ(dev_.ioctl(DRM_IOCTL_ZACCEL_BO_CREATE, &c), 0);
    return c;
  }

  uint32_t syncobj() {
    drm_syncobj_create c{};
    EXPECT_EQ(dev_.ioctl(DRM_IOCTL_SYNCOBJ_CREATE, &c), 0);
    return c.handle;
  }

  /// Queues a job of `images` on `region` once both regions are loaded; its completion record
  /// goes to record `k`. Returns its out-sync.
  uint32_t submit(uint32_t region, uint32_t images, uint32_t k) {
    const uint64_t half = kMaxImages * (kInPerImage + kOutPerImage);
    const uint64_t base = region * half;
    drm_zaccel_arg args[2] = {{act_.handle, DRM_ZACCEL_ARG_READ, base, images * kInPerImage},
                              {act_.handle, DRM_ZACCEL_ARG_WRITE, base + kMaxImages * kInPerImage,
                               images * kOutPerImage}};
    uint32_t regs[2] = {images, 0};
    drm_zaccel_ext_report ext{};
    ext.base.id = DRM_ZACCEL_EXT_REPORT;
    ext.handle = rep_.handle;
    ext.offset = k * sizeof(drm_zaccel_report);
    drm_zaccel_submit s{};
    s.region = region;
    s.args = reinterpret_cast<uintptr_t>(args);
    s.arg_count = 2;
    s.regs = reinterpret_cast<uintptr_t>(regs);
    s.reg_count = 2;
    s.in_syncs = reinterpret_cast<uintptr_t>(loaded_);
    s.in_sync_count = 2;
    s.out_sync = syncobj();
    s.extensions = reinterpret_cast<uintptr_t>(&ext);
    EXPECT_EQ(dev_.ioctl(DRM_IOCTL_ZACCEL_SUBMIT, &s), 0);
    return s.out_sync;
  }

  drm_zaccel_report wait(uint32_t sync, uint32_t k) {
    drm_syncobj_wait w{};
    w.handles = reinterpret_cast<uintptr_t>(&sync);
    w.count_handles = 1;
    w.timeout_nsec = INT64_MAX;
    EXPECT_EQ(dev_.ioctl(DRM_IOCTL_SYNCOBJ_WAIT, &w), 0);
    drm_zaccel_report r;
    std::memcpy(&r, static_cast<uint8_t *>(dev_.map(rep_.mmap_offset, 4096)) + k * sizeof(r),
                sizeof(r));
    return r;
  }

  Device dev_{load_board(ZACCEL_DTBO_DIR "/pynq-z2-zaccel.dtbo")};
  drm_zaccel_bo_create act_{}, rep_{};
  uint32_t loaded_[2] = {};
};

/// Nanoseconds to move `bytes` at the board's DDR rate.
double ddr_ns(const Device &dev, uint64_t bytes) {
  return 1e9 * double(bytes) / double(dev.board().ddr_bytes_per_s);
}

TEST_F(DdrSharing, ShortTransferIsNotHeldBackByALongOne) {
  // Region 1's 1.44 MB input takes about 690 us of DDR; region 0's 72 bytes, queued after it
  // and ready at the same time, go in turn with its bursts.
  const uint32_t big = submit(1, kMaxImages, 0);
  const uint32_t small = submit(0, 1, 1);
  const drm_zaccel_report b = wait(big, 0), s = wait(small, 1);
  ASSERT_EQ(b.error, 0u);
  ASSERT_EQ(s.error, 0u);
  EXPECT_EQ(s.start_ns, b.start_ns) << "both are ready once the second load ends";
  const double burst_ns = ddr_ns(dev_, 16384);
  EXPECT_LT(double(s.end_ns - s.start_ns), 3 * burst_ns)
      << "the short job waits at most for one burst of the long one in, one out";
  EXPECT_GT(double(b.compute_end_ns - b.start_ns), ddr_ns(dev_, kMaxImages * kInPerImage));
}

TEST_F(DdrSharing, TwoLongTransfersShareTheDdr) {
  // Equal inputs on both regions, ready at the same time: the DDR serves them in turn, so
  // both inputs take about as long as the two together, and end within a burst or two of
  // each other (one after the other, the first would end halfway). Compute ends one image
  // after the last input.
  constexpr uint32_t kImages = 10000;
  const uint32_t first = submit(0, kImages, 0);
  const uint32_t second = submit(1, kImages, 1);
  const drm_zaccel_report a = wait(first, 0), b = wait(second, 1);
  ASSERT_EQ(a.error, 0u);
  ASSERT_EQ(b.error, 0u);
  const double both_ns = ddr_ns(dev_, 2 * kImages * kInPerImage);
  const double burst_ns = ddr_ns(dev_, 16384);
  const double a_in = double(a.compute_end_ns - a.start_ns);
  const double b_in = double(b.compute_end_ns - b.start_ns);
  EXPECT_GT(a_in, 0.9 * both_ns);
  EXPECT_GT(b_in, 0.9 * both_ns);
  EXPECT_LT(std::abs(a_in - b_in), 2 * burst_ns);
}

}  // namespace
}  // namespace zaccel::emu
