// The emulated device's own behaviour, beyond what the conformance suite asks of every backend:
// the non-coherent cache model, the DMA pool, the IP latency model and closing with work queued.
#include <gtest/gtest.h>

#include <cstring>

#include "fabric/board.h"
#include "fabric/device.h"
#include "ips/ip.h"
#include "ips/resources.h"
#include "util/error.h"

namespace zaccel::emu {
namespace {

BoardDesc board() {
  return load_board(ZACCEL_DTBO_DIR "/pynq-z2-zaccel.dtbo");
}

TEST(EmuBo, DeviceSeesCpuWritesOnlyAfterFini) {
  Bo bo(4096, false, kPoolBase, 0);
  bo.cpu()[10] = 7;
  EXPECT_EQ(bo.ddr()[10], 0) << "still in the CPU's cache";
  bo.sync_for_device();
  EXPECT_EQ(bo.ddr()[10], 7);
  bo.ddr()[20] = 9;  // the device writes
  EXPECT_EQ(bo.cpu()[20], 0) << "stale until PREP";
  bo.sync_for_cpu(true);
  EXPECT_EQ(bo.cpu()[20], 9);
}

TEST(EmuBo, FiniWritesBackOnlyDirtyBytes) {
  Bo bo(4096, false, kPoolBase, 0);
  bo.ddr()[1] = 5;  // device result the CPU never read
  bo.cpu()[2] = 6;
  bo.sync_for_device();
  EXPECT_EQ(bo.ddr()[1], 5) << "a clean stale line does not overwrite the device's data";
  EXPECT_EQ(bo.ddr()[2], 6);
}

TEST(EmuBo, WriteCombinedNeedsNoSync) {
  Bo bo(4096, true, kPoolBase, 0);
  bo.cpu()[3] = 1;
  EXPECT_EQ(bo.ddr()[3], 1);
}

TEST(EmuBoPool, FirstFitReusesAndRunsOut) {
  BoPool pool(3 * kPageSize);
  const uint64_t a = pool.alloc(kPageSize), b = pool.alloc(kPageSize), c = pool.alloc(kPageSize);
  EXPECT_EQ(a, kPoolBase);
  EXPECT_EQ(c, kPoolBase + 2 * kPageSize);
  EXPECT_EQ(pool.alloc(kPageSize), 0u);
  pool.free(b);
  EXPECT_EQ(pool.alloc(kPageSize), b);
}

/// A single-channel conv with a square `k` x `k` window, stride 1, no padding, weights embedded.
drm_zaccel_ip_id conv(uint32_t in_hw = 28, uint32_t out_c = 6, uint32_t k = 5, uint32_t bits = 16,
                      uint32_t lanes = 30) {
  drm_zaccel_ip_id id{};
  id.magic = ZACCEL_IP_MAGIC;
  id.kind = DRM_ZACCEL_IP_CONV;
  id.in_c = 1;
  id.in_h = id.in_w = in_hw;
  id.out_c = out_c;
  id.out_h = id.out_w = in_hw - k + 1;
  id.kernel = k << 16 | k;
  id.stride = 1 << 16 | 1;
  id.bits = bits << 16 | bits << 8 | bits;
  id.weight_mode = DRM_ZACCEL_WEIGHTS_EMBEDDED;
  id.lanes = lanes;
  return id;
}

TEST(EmuIp, IdentityChecks) {
  EXPECT_NO_THROW(check_ip_id(conv()));
  auto bad = conv();
  bad.out_h = 23;
  EXPECT_THROW(check_ip_id(bad), Error) << "output disagrees with the window";
  bad = conv();
  bad.lanes = 0;
  EXPECT_THROW(check_ip_id(bad), Error);
  bad = conv();
  bad.bits = 17 << 16 | 16 << 8 | 16;
  EXPECT_THROW(check_ip_id(bad), Error);
  bad = conv();
  bad.kind = DRM_ZACCEL_IP_POOL;
  EXPECT_THROW(check_ip_id(bad), Error) << "a pool IP with weights";
}

TEST(EmuIp, CyclesSpreadOverLanes) {
  const auto id = conv();
  const uint64_t macs = 6 * 24 * 24 * 25;
  EXPECT_EQ(ip_cycles(id, 1), macs / 30 + 32);
  EXPECT_EQ(ip_cycles(id, 64), 64 * (macs / 30) + 32) << "pipeline filled once per job";
  EXPECT_EQ(ip_weight_count(id), 150u);
  EXPECT_EQ(ip_bias_count(id), 6u);
}

TEST(EmuDevice, ClosingWithWorkQueued) {
  Device dev(board());
  drm_zaccel_bo_create bo{4096, 0, 0, 0, 0};
  ASSERT_EQ(dev.ioctl(DRM_IOCTL_ZACCEL_BO_CREATE, &bo), 0);
  drm_syncobj_create sync{};
  ASSERT_EQ(dev.ioctl(DRM_IOCTL_SYNCOBJ_CREATE, &sync), 0);
  drm_zaccel_arg args[2] = {{bo.handle, DRM_ZACCEL_ARG_READ, 0, 64},
                            {bo.handle, DRM_ZACCEL_ARG_WRITE, 64, 64}};
  uint32_t regs[1] = {1};
  drm_zaccel_submit s{};
  s.args = reinterpret_cast<uintptr_t>(args);
  s.arg_count = 2;
  s.regs = reinterpret_cast<uintptr_t>(regs);
  s.reg_count = 1;
  s.out_sync = sync.handle;
  for (int i = 0; i < 200; ++i) {
    // Each job waits for the one before: a chain the worker is still running at close.
    s.in_syncs = i ? reinterpret_cast<uintptr_t>(&sync.handle) : 0;
    s.in_sync_count = i ? 1 : 0;
    ASSERT_EQ(dev.ioctl(DRM_IOCTL_ZACCEL_SUBMIT, &s), 0);
  }
  drm_gem_close close{bo.handle, 0};
  EXPECT_EQ(dev.ioctl(DRM_IOCTL_GEM_CLOSE, &close), 0) << "queued jobs keep the BO alive";
  // The device is destroyed with work queued: it cancels it, and neither hangs nor crashes.
}

TEST(EmuDevice, UnknownIoctlAndNullArgument) {
  Device dev(board());
  drm_zaccel_get_param p{};
  EXPECT_EQ(dev.ioctl(0xdeadbeef, &p), -ENOTTY);
  EXPECT_EQ(dev.ioctl(DRM_IOCTL_ZACCEL_GET_PARAM, nullptr), -EFAULT);
}

}  // namespace
}  // namespace zaccel::emu

namespace zaccel::emu {
namespace {

TEST(EmuResources, ModesCostWhatTheyShould) {
  drm_zaccel_ip_id fc{};
  fc.magic = ZACCEL_IP_MAGIC;
  fc.kind = DRM_ZACCEL_IP_FC;
  fc.in_c = 256;
  fc.out_c = 120;
  fc.in_h = fc.in_w = fc.out_h = fc.out_w = 1;
  fc.bits = 16 << 16 | 16 << 8 | 16;
  fc.lanes = 32;
  fc.weight_mode = DRM_ZACCEL_WEIGHTS_EMBEDDED;
  const Resources embedded = ip_resources(fc);
  EXPECT_EQ(embedded.dsp, 32u);
  EXPECT_EQ(embedded.bram18, 27u) << "256 x 120 x 16 bits over 18 Kib";
  fc.weight_mode = DRM_ZACCEL_WEIGHTS_STREAMED;
  EXPECT_EQ(ip_resources(fc).bram18, 2u) << "a FIFO, no weight store";
  EXPECT_GT(ip_resources(fc).lut, embedded.lut) << "an HP-port master";
  fc.bits = 20 << 16 | 20 << 8 | 16;  // both operands past 18 bits: two DSPs per lane
  EXPECT_EQ(ip_resources(fc).dsp, 64u);
  EXPECT_TRUE(fits(embedded, {32, 27, 100000, 100000}));
  EXPECT_FALSE(fits(embedded, {31, 27, 100000, 100000}));
}

}  // namespace
}  // namespace zaccel::emu

namespace zaccel::emu {
namespace {

/// Loads a 1x6x6 -> 2x4x4 conv into region 0 and runs it on `images` images; returns the
/// completion record.
drm_zaccel_report run_conv(Device &dev, uint32_t images) {
  const BoardDesc b = board();
  drm_zaccel_ip_id id = conv(6, 2, 3, 8, 1);
  IpImage ip;
  ip.id = id;
  ip.weights.assign(18, 1);
  const std::vector<uint8_t> bits = build_partial({b.regions[0].interface_id, {ip}}, b.regions[0]);
  const auto bo = [&](uint64_t size, uint32_t flags) {
    drm_zaccel_bo_create c{size, flags, 0, 0, 0};
    EXPECT_EQ(dev.ioctl(DRM_IOCTL_ZACCEL_BO_CREATE, &c), 0);
    return c;
  };
  const drm_zaccel_bo_create pbo = bo(bits.size(), DRM_ZACCEL_BO_WRITE_COMBINED);
  std::memcpy(dev.map(pbo.mmap_offset, bits.size()), bits.data(), bits.size());
  const drm_zaccel_bo_create act = bo(65536, DRM_ZACCEL_BO_WRITE_COMBINED);
  const drm_zaccel_bo_create rep = bo(4096, DRM_ZACCEL_BO_WRITE_COMBINED);
  drm_syncobj_create done{};
  EXPECT_EQ(dev.ioctl(DRM_IOCTL_SYNCOBJ_CREATE, &done), 0);
  drm_zaccel_reconfig rc{};
  rc.bo_handle = pbo.handle;
  rc.size = bits.size();
  rc.expected = reinterpret_cast<uintptr_t>(&id);
  rc.slot_count = 1;
  EXPECT_EQ(dev.ioctl(DRM_IOCTL_ZACCEL_RECONFIG, &rc), 0);
  drm_zaccel_arg args[2] = {{act.handle, DRM_ZACCEL_ARG_READ, 0, images * 72ull},
                            {act.handle, DRM_ZACCEL_ARG_WRITE, 32768, images * 64ull}};
  uint32_t regs[2] = {images, 0};
  drm_zaccel_ext_report ext{};
  ext.base.id = DRM_ZACCEL_EXT_REPORT;
  ext.handle = rep.handle;
  drm_zaccel_submit s{};
  s.args = reinterpret_cast<uintptr_t>(args);
  s.arg_count = 2;
  s.regs = reinterpret_cast<uintptr_t>(regs);
  s.reg_count = 2;
  s.out_sync = done.handle;
  s.extensions = reinterpret_cast<uintptr_t>(&ext);
  EXPECT_EQ(dev.ioctl(DRM_IOCTL_ZACCEL_SUBMIT, &s), 0);
  drm_syncobj_wait w{};
  w.handles = reinterpret_cast<uintptr_t>(&done.handle);
  w.count_handles = 1;
  w.timeout_nsec = INT64_MAX;
  EXPECT_EQ(dev.ioctl(DRM_IOCTL_SYNCOBJ_WAIT, &w), 0);
  drm_zaccel_report r;
  std::memcpy(&r, dev.map(rep.mmap_offset, 4096), sizeof(r));
  return r;
}

TEST(EmuTiming, StreamingIpOverlapsDmaAndCompute) {
  Device dev(board());
  const drm_zaccel_report r = run_conv(dev, 100);
  ASSERT_EQ(r.error, 0u);
  // 100 images of 72 bytes through two 1.2 GB/s HP ports and the 2.1 GB/s DDR: 3.4 us in all,
  // 34 ns for the first.
  EXPECT_LE(r.compute_start_ns - r.start_ns, 35u) << "computing starts with the first image";
  // 100 x 32 outputs x 9 MACs on one lane at 100 MHz, plus the pipeline: 288.32 us.
  EXPECT_EQ(r.compute_end_ns - r.compute_start_ns, 288320u);
  EXPECT_LE(r.end_ns - r.compute_end_ns, 31u) << "only the last image's output is left";
}

}  // namespace
}  // namespace zaccel::emu
