// Conformance, part 1: the exact errno of every kind of bad input, on every backend.
#include "conformance/fixture.h"

namespace zaccel::conformance {
namespace {

using ErrnoTest = Conformance;

/// BOs are whole pages: the first offset past one.
uint64_t page_round(uint64_t size) {
  return (size + 4095) / 4096 * 4096;
}

TEST_P(ErrnoTest, GetParam) {
  drm_zaccel_get_param p{DRM_ZACCEL_PARAM_NUM_REGIONS, 0, 0};
  EXPECT_EQ(dev_->ioctl(DRM_IOCTL_ZACCEL_GET_PARAM, &p), 0);
  EXPECT_EQ(p.value, regions_);
  p = {9999, 0, 0};
  EXPECT_EQ(dev_->ioctl(DRM_IOCTL_ZACCEL_GET_PARAM, &p), -EINVAL);
  p = {DRM_ZACCEL_PARAM_PL_CLOCK_HZ, 1, 0};
  EXPECT_EQ(dev_->ioctl(DRM_IOCTL_ZACCEL_GET_PARAM, &p), -EINVAL) << "index on a global param";
  p = {DRM_ZACCEL_PARAM_REGION_FRAMES, regions_, 0};
  EXPECT_EQ(dev_->ioctl(DRM_IOCTL_ZACCEL_GET_PARAM, &p), -EINVAL);
}

TEST_P(ErrnoTest, BoCreate) {
  drm_zaccel_bo_create c{};
  EXPECT_EQ(dev_->ioctl(DRM_IOCTL_ZACCEL_BO_CREATE, &c), -EINVAL) << "size 0";
  c.size = 4096;
  c.flags = 1u << 7;
  EXPECT_EQ(dev_->ioctl(DRM_IOCTL_ZACCEL_BO_CREATE, &c), -EINVAL) << "unknown flag";
  c.flags = 0;
  c.size = dev_->param(DRM_ZACCEL_PARAM_MAX_BO_SIZE) + 1;
  EXPECT_EQ(dev_->ioctl(DRM_IOCTL_ZACCEL_BO_CREATE, &c), -EINVAL) << "above MAX_BO_SIZE";
}

TEST_P(ErrnoTest, BoSyncAndClose) {
  drm_zaccel_bo_prep p{in_->handle(), 0, dev::deadline_after_ms(100)};
  EXPECT_EQ(dev_->ioctl(DRM_IOCTL_ZACCEL_BO_PREP, &p), -EINVAL) << "no flags";
  p.flags = 1u << 5;
  EXPECT_EQ(dev_->ioctl(DRM_IOCTL_ZACCEL_BO_PREP, &p), -EINVAL) << "unknown flag";
  p = {9999, DRM_ZACCEL_PREP_READ, dev::deadline_after_ms(100)};
  EXPECT_EQ(dev_->ioctl(DRM_IOCTL_ZACCEL_BO_PREP, &p), -ENOENT);
  drm_zaccel_bo_fini f{in_->handle(), 1};
  EXPECT_EQ(dev_->ioctl(DRM_IOCTL_ZACCEL_BO_FINI, &f), -EINVAL) << "pad";
  f = {9999, 0};
  EXPECT_EQ(dev_->ioctl(DRM_IOCTL_ZACCEL_BO_FINI, &f), -ENOENT);
  drm_gem_close c{9999, 0};
  EXPECT_EQ(dev_->ioctl(DRM_IOCTL_GEM_CLOSE, &c), -EINVAL);
}

TEST_P(ErrnoTest, RegionQuery) {
  drm_zaccel_region_query q{};
  q.region = regions_;
  EXPECT_EQ(dev_->ioctl(DRM_IOCTL_ZACCEL_REGION_QUERY, &q), -EINVAL);
  q.region = 0;
  q.pad = 1;
  EXPECT_EQ(dev_->ioctl(DRM_IOCTL_ZACCEL_REGION_QUERY, &q), -EINVAL);
  q.pad = 0;
  q.slot = DRM_ZACCEL_MAX_SLOTS;
  EXPECT_EQ(dev_->ioctl(DRM_IOCTL_ZACCEL_REGION_QUERY, &q), -EINVAL);
  q.slot = 0;
  q.pad = 0;
  EXPECT_EQ(dev_->ioctl(DRM_IOCTL_ZACCEL_REGION_QUERY, &q), 0);
}

TEST_P(ErrnoTest, Reconfig) {
  const std::vector<uint8_t> bits = partial(0, {test_ip()});
  auto bo = bo_with(bits);
  drm_zaccel_ip_id expected[DRM_ZACCEL_MAX_SLOTS + 1];
  for (auto &e : expected)
    e = test_ip();
  const auto base = [&] {
    drm_zaccel_reconfig r{};
    r.region = 0;
    r.bo_handle = bo->handle();
    r.size = bits.size();
    r.expected = reinterpret_cast<uintptr_t>(expected);
    r.slot_count = 1;
    return r;
  };
  const auto expect = [&](int err, drm_zaccel_reconfig r, const char *what) {
    EXPECT_EQ(dev_->ioctl(DRM_IOCTL_ZACCEL_RECONFIG, &r), err) << what;
  };
  auto r = base();
  r.region = regions_;
  expect(-EINVAL, r, "region out of range");
  r = base();
  r.slot_count = 0;
  expect(-EINVAL, r, "no slots");
  r.slot_count = DRM_ZACCEL_MAX_SLOTS + 1;
  expect(-EINVAL, r, "more slots than DRM_ZACCEL_MAX_SLOTS");
  r = base();
  r.flags = 1;
  expect(-EINVAL, r, "unknown flag");
  r = base();
  r.bo_handle = 9999;
  expect(-ENOENT, r, "bad BO handle");
  r = base();
  r.bo_offset = page_round(bo->size());
  expect(-EINVAL, r, "range past the BO");
  r = base();
  r.size -= 4;
  expect(-EINVAL, r, "truncated: not the region's partial size");
  r = base();
  expected[0].magic = 0;
  expect(-EINVAL, r, "expected identity without magic");
  expected[0] = test_ip();
  expected[1].kind = 77;
  r.slot_count = 2;
  expect(-EINVAL, r, "expected identity of unknown kind in slot 1");
  expected[1] = test_ip();
  r = base();
  const uint32_t sync = 9999;
  r.in_syncs = reinterpret_cast<uintptr_t>(&sync);
  r.in_sync_count = 1;
  expect(-ENOENT, r, "unknown in-sync");
  r = base();
  r.out_sync = 9999;
  expect(-ENOENT, r, "unknown out-sync");
  r = base();
  drm_zaccel_extension ext{0, 42, 0};
  r.extensions = reinterpret_cast<uintptr_t>(&ext);
  expect(-EINVAL, r, "unknown extension");
  EXPECT_EQ(since_setup(0, &drm_zaccel_region_query::reconfigs), 0u) << "nothing ran";
}

TEST_P(ErrnoTest, Submit) {
  drm_zaccel_arg args[DRM_ZACCEL_MAX_ARGS + 1] = {};
  for (auto &a : args)
    a = {in_->handle(), DRM_ZACCEL_ARG_READ, 0, in_->size()};
  uint32_t regs[DRM_ZACCEL_MAX_REGS + 1] = {1};
  const auto base = [&] {
    drm_zaccel_submit s{};
    s.region = 0;
    s.args = reinterpret_cast<uintptr_t>(args);
    s.arg_count = 2;
    s.regs = reinterpret_cast<uintptr_t>(regs);
    s.reg_count = 1;
    return s;
  };
  const auto expect = [&](int err, drm_zaccel_submit s, const char *what) {
    EXPECT_EQ(dev_->ioctl(DRM_IOCTL_ZACCEL_SUBMIT, &s), err) << what;
  };
  auto s = base();
  s.region = regions_;
  expect(-EINVAL, s, "region out of range");
  s = base();
  s.flags = 2;
  expect(-EINVAL, s, "unknown flag");
  s = base();
  s.slot = DRM_ZACCEL_MAX_SLOTS;
  expect(-EINVAL, s, "slot out of range");
  s = base();
  s.pad = 1;
  expect(-EINVAL, s, "non-zero pad");
  s = base();
  s.arg_count = 0;
  expect(-EINVAL, s, "no arguments");
  s = base();
  s.arg_count = DRM_ZACCEL_MAX_ARGS + 1;
  expect(-EINVAL, s, "too many arguments");
  s = base();
  s.reg_count = DRM_ZACCEL_MAX_REGS + 1;
  expect(-EINVAL, s, "too many registers");
  s = base();
  args[1].flags = 0;
  expect(-EINVAL, s, "argument without direction");
  args[1].flags = 1u << 4;
  expect(-EINVAL, s, "argument with an unknown flag");
  args[1] = {9999, DRM_ZACCEL_ARG_WRITE, 0, 16};
  expect(-ENOENT, s, "bad BO handle");
  args[1] = {out_->handle(), DRM_ZACCEL_ARG_WRITE, out_->size() - 8, 16};
  expect(-EINVAL, s, "range past the BO");
  args[1] = {out_->handle(), DRM_ZACCEL_ARG_WRITE, ~uint64_t{0} - 7, 16};
  expect(-EINVAL, s, "offset + size overflows");
  args[1] = {out_->handle(), DRM_ZACCEL_ARG_WRITE, 0, out_->size()};
  s = base();
  std::vector<uint32_t> many(DRM_ZACCEL_MAX_SYNCS + 1, 1);
  s.in_syncs = reinterpret_cast<uintptr_t>(many.data());
  s.in_sync_count = static_cast<uint32_t>(many.size());
  expect(-EINVAL, s, "too many in-syncs");
  s = base();
  drm_zaccel_ext_report rep{};
  rep.base.id = DRM_ZACCEL_EXT_REPORT;
  rep.handle = reports_->handle();
  rep.pad = 1;
  s.extensions = reinterpret_cast<uintptr_t>(&rep);
  expect(-EINVAL, s, "non-zero pad in an extension");
  rep.pad = 0;
  rep.offset = page_round(reports_->size());
  expect(-EINVAL, s, "report past its BO");
  rep.offset = 0;
  rep.base.next = reinterpret_cast<uintptr_t>(&rep);
  expect(-EINVAL, s, "extension given twice");
  EXPECT_EQ(since_setup(0, &drm_zaccel_region_query::jobs) +
                since_setup(0, &drm_zaccel_region_query::errors),
            0u)
      << "nothing ran";
}

/// A max-pool IP of one channel, h x w, 1x1 window: its output is its input.
drm_zaccel_ip_id pool_ip(uint32_t h, uint32_t w) {
  drm_zaccel_ip_id id{};
  id.magic = ZACCEL_IP_MAGIC;
  id.kind = DRM_ZACCEL_IP_POOL;
  id.version = 1 << 16;
  id.in_c = id.out_c = 1;
  id.in_h = id.out_h = h;
  id.in_w = id.out_w = w;
  id.kernel = 1 << 16 | 1;
  id.stride = 1 << 16 | 1;
  id.bits = 8 << 8 | 8;
  id.lanes = 1;
  return id;
}

// Identities whose sizes wrap are refused up front, as any invalid identity is: none of them
// describes an IP, whatever its wrapped figures would let through.
TEST_P(ErrnoTest, ReconfigIdentityThatOverflows) {
  const std::vector<uint8_t> bits = partial(0, {test_ip()});
  auto bo = bo_with(bits);
  const auto reconfig = [&](const drm_zaccel_ip_id &id) {
    drm_zaccel_reconfig r{};
    r.bo_handle = bo->handle();
    r.size = bits.size();
    r.expected = reinterpret_cast<uintptr_t>(&id);
    r.slot_count = 1;
    return dev_->ioctl(DRM_IOCTL_ZACCEL_RECONFIG, &r);
  };
  drm_zaccel_ip_id id = pool_ip(~0u, ~0u);
  id.in_c = id.out_c = ~0u;
  EXPECT_EQ(reconfig(id), -EINVAL) << "(2^32 - 1)^3 values per image: the count wraps 64 bits";
  // A window over 2^32 - 1 rows padded by 255 on either side gives 2^32 + 509 rows: 509 once
  // narrowed to 32 bits.
  id = pool_ip(~0u, 1);
  id.padding = 255u << 24 | 255u << 8;
  id.out_h = 509;
  EXPECT_EQ(reconfig(id), -EINVAL) << "a window extent that wraps 32 bits";
  id.out_h = ~0u;
  EXPECT_EQ(reconfig(id), -EINVAL) << "nor is it clamped";
  // conv (2^32 - 1) channels in and out of 1x1, 256x256 window padded to fit: inputs and
  // outputs fit, its (2^32 - 1)^2 * 2^16 weights do not.
  id = test_ip();
  id.in_c = id.out_c = ~0u;
  id.in_h = id.in_w = id.out_h = id.out_w = 1;
  id.kernel = 256 << 16 | 256;
  id.padding = 255u << 24 | 255u << 16;
  EXPECT_EQ(reconfig(id), -EINVAL) << "a weight count that wraps 64 bits";
  EXPECT_EQ(since_setup(0, &drm_zaccel_region_query::reconfigs) +
                since_setup(0, &drm_zaccel_region_query::errors),
            0u)
      << "nothing ran";
}

// An IP of 2761311370 x 3340214413 = 2^63 + 2 values in and as many out is a valid identity,
// but no job fits it: its values in and out add up past 2^64 (to 4, wrapped), and one image's
// input takes 2^64 + 4 bytes (4, wrapped). Checked with wrapping arithmetic, a one-image job
// with buffers of a few bytes would pass and the IP's DMA run 2^64 bytes past them.
TEST_P(ErrnoTest, JobExtentThatOverflows) {
  const drm_zaccel_ip_id huge = pool_ip(2761311370u, 3340214413u);
  ASSERT_EQ(load(0, partial(0, {huge}), {huge}).error, 0u) << "a valid identity";
  const auto run = [&](uint32_t images) {
    dev::Syncobj done(*dev_);
    const size_t rec = next_record_++;
    dev_->submit(0, 0,
                 {{in_->handle(), DRM_ZACCEL_ARG_READ, 0, in_->size()},
                  {out_->handle(), DRM_ZACCEL_ARG_WRITE, 0, out_->size()}},
                 {images, 0}, {}, done.handle(), {reports_.get(), rec * sizeof(drm_zaccel_report)});
    done.wait(dev::deadline_after_ms(10'000));
    return read_report(rec).error;
  };
  EXPECT_EQ(run(1), uint32_t{EINVAL}) << "one image";
  EXPECT_EQ(run(2), uint32_t{EINVAL}) << "two images: 2^65 + 8 bytes in, 8 wrapped";
  EXPECT_EQ(since_setup(0, &drm_zaccel_region_query::jobs), 0u);
  EXPECT_EQ(since_setup(0, &drm_zaccel_region_query::errors), 2u);
  EXPECT_EQ(dev_->query(0).last_error, uint32_t{EINVAL});
  expect_usable(0);
}

TEST_P(ErrnoTest, Syncobjs) {
  drm_syncobj_create c{0, 1u << 5};
  EXPECT_EQ(dev_->ioctl(DRM_IOCTL_SYNCOBJ_CREATE, &c), -EINVAL);
  uint32_t h = 9999;
  drm_syncobj_wait w{};
  w.handles = reinterpret_cast<uintptr_t>(&h);
  w.count_handles = 1;
  EXPECT_EQ(dev_->ioctl(DRM_IOCTL_SYNCOBJ_WAIT, &w), -ENOENT);
  dev::Syncobj empty(*dev_);
  h = empty.handle();
  EXPECT_EQ(dev_->ioctl(DRM_IOCTL_SYNCOBJ_WAIT, &w), -EINVAL) << "no fence, no WAIT_FOR_SUBMIT";
  w.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT;
  w.timeout_nsec = static_cast<int64_t>(dev::deadline_after_ms(20));
  EXPECT_EQ(dev_->ioctl(DRM_IOCTL_SYNCOBJ_WAIT, &w), -ETIME);
  dev::Syncobj signaled(*dev_, true);
  h = signaled.handle();
  EXPECT_EQ(dev_->ioctl(DRM_IOCTL_SYNCOBJ_WAIT, &w), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, ErrnoTest, ::testing::ValuesIn(backends()));

}  // namespace
}  // namespace zaccel::conformance
