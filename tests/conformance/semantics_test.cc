// Conformance, part 2: what the device does: loads and runs IPs, orders work by fences and by
// region, reports faults found while running, and stays usable after each.
#include "conformance/fixture.h"

namespace zaccel::conformance {
namespace {

using Semantics = Conformance;

bool decoupled(const drm_zaccel_region_query &q) {
  return q.flags & DRM_ZACCEL_REGION_DECOUPLED;
}
bool ip_valid(const drm_zaccel_region_query &q) {
  return q.flags & DRM_ZACCEL_REGION_IP_VALID;
}

TEST_P(Semantics, LoadRunAndReadBack) {
  const drm_zaccel_report pr = load(1, partial(1, {test_ip()}), {test_ip()});
  EXPECT_EQ(pr.error, 0u);
  EXPECT_GT(pr.end_ns, pr.start_ns);
  EXPECT_EQ(pr.bytes, dev_->param(DRM_ZACCEL_PARAM_REGION_PARTIAL_SIZE, 1));
  const drm_zaccel_region_query q = dev_->query(1);
  EXPECT_EQ(q.state, uint32_t{DRM_ZACCEL_STATE_OPERATING});
  EXPECT_FALSE(decoupled(q));
  EXPECT_TRUE(ip_valid(q));
  const drm_zaccel_ip_id id = test_ip();
  EXPECT_EQ(std::memcmp(&q.loaded, &id, sizeof(id)), 0) << "identity read back";
  EXPECT_EQ(q.reconfigs - base_[1].reconfigs, 1u);

  const drm_zaccel_report job = run_job(1);
  ASSERT_EQ(job.error, 0u);
  EXPECT_LE(job.start_ns, job.compute_start_ns);
  EXPECT_LT(job.compute_start_ns, job.compute_end_ns);
  EXPECT_LE(job.compute_end_ns, job.end_ns);
  EXPECT_GE(job.start_ns, pr.end_ns) << "a job starts after its region's reconfiguration";
  EXPECT_OUTPUT(output(), expected_output()) << "BO contents after FINI, job, PREP";
  EXPECT_EQ(since_setup(1, &drm_zaccel_region_query::jobs), 1u);
}

TEST_P(Semantics, JobWithoutIpFails) {
  const drm_zaccel_report job = run_job(0);
  EXPECT_EQ(job.error, uint32_t{ENODEV});
  EXPECT_EQ(since_setup(0, &drm_zaccel_region_query::errors), 1u);
  EXPECT_EQ(dev_->query(0).last_error, uint32_t{ENODEV});
}

TEST_P(Semantics, FenceOrder) {
  ASSERT_EQ(load(0, partial(0, {test_ip()}), {test_ip()}).error, 0u);
  ASSERT_EQ(load(1, partial(1, {test_ip()}), {test_ip()}).error, 0u);
  dev::Syncobj a(*dev_), b(*dev_);
  const drm_zaccel_report ra = run_job(0, {}, &a);
  const drm_zaccel_report rb = run_job(1, {a.handle()}, &b);
  EXPECT_EQ(ra.error, 0u);
  EXPECT_EQ(rb.error, 0u);
  EXPECT_GE(rb.start_ns, ra.end_ns) << "a job starts after the fences it waits for";
  dev::Syncobj pre(*dev_, true);
  EXPECT_EQ(run_job(0, {pre.handle()}).error, 0u) << "an already signalled in-sync";
}

TEST_P(Semantics, ReconfigWaitsForTheRegionsJobs) {
  ASSERT_EQ(load(0, partial(0, {test_ip()}), {test_ip()}).error, 0u);
  // Queue a job, then a reconfiguration to another IP, without waiting in between.
  dev::Syncobj job_done(*dev_), pr_done(*dev_);
  const size_t job_slot = next_record_++, pr_slot = next_record_++;
  dev_->submit(0, 0,
               {{in_->handle(), DRM_ZACCEL_ARG_READ, 0, in_->size()},
                {out_->handle(), DRM_ZACCEL_ARG_WRITE, 0, out_->size()}},
               {2, 4}, {}, job_done.handle(), {reports_.get(), job_slot * 48});
  const drm_zaccel_ip_id other = test_ip(1);
  auto bits = bo_with(partial(0, {other}));
  dev_->reconfig(0, *bits, 0, bits->size(), {other}, {}, pr_done.handle(),
                 {reports_.get(), pr_slot * 48});
  pr_done.wait(dev::deadline_after_ms(10'000));
  const drm_zaccel_report job = read_report(job_slot), pr = read_report(pr_slot);
  EXPECT_EQ(job.error, 0u);
  EXPECT_EQ(pr.error, 0u);
  EXPECT_GE(pr.start_ns, job.end_ns) << "PR waits for the region's queued job";
  EXPECT_OUTPUT(output(), expected_output()) << "the job ran on the IP loaded before";
  EXPECT_EQ(dev_->query(0).loaded.out_c, 1u);
}

TEST_P(Semantics, PartialForAnotherRegion) {
  const drm_zaccel_report pr = load(0, partial(1, {test_ip()}), {test_ip()});
  EXPECT_EQ(pr.error, uint32_t{ENODEV});
  const drm_zaccel_region_query q = dev_->query(0);
  EXPECT_EQ(q.state, uint32_t{DRM_ZACCEL_STATE_WRITE_INIT_ERR});
  EXPECT_TRUE(decoupled(q));
  EXPECT_FALSE(ip_valid(q));
  EXPECT_EQ(q.last_error, uint32_t{ENODEV});
  EXPECT_EQ(run_job(0).error, uint32_t{ENODEV}) << "no IP after a failed load";
  expect_usable(0);
}

TEST_P(Semantics, WrongExpectedIdentity) {
  drm_zaccel_ip_id expected = test_ip();
  expected.lanes = 3;
  EXPECT_EQ(load(0, partial(0, {test_ip()}), {expected}).error, uint32_t{EPROTO});
  const drm_zaccel_region_query q = dev_->query(0);
  EXPECT_EQ(q.state, uint32_t{DRM_ZACCEL_STATE_WRITE_COMPLETE_ERR});
  EXPECT_TRUE(decoupled(q));
  EXPECT_FALSE(ip_valid(q));
  expect_usable(0);
}

TEST_P(Semantics, CorruptBitstream) {
  std::vector<uint8_t> bits = partial(0, {test_ip()});
  bits[bits.size() / 3] ^= 1;  // payload: the CRC catches it
  EXPECT_EQ(load(0, bits, {test_ip()}).error, uint32_t{EBADMSG});
  EXPECT_EQ(dev_->query(0).state, uint32_t{DRM_ZACCEL_STATE_WRITE_COMPLETE_ERR});
  bits = partial(0, {test_ip()});
  bits[12 * 4] = 0;  // the sync word
  EXPECT_EQ(load(0, bits, {test_ip()}).error, uint32_t{EBADMSG});
  EXPECT_EQ(dev_->query(0).state, uint32_t{DRM_ZACCEL_STATE_WRITE_INIT_ERR});
  bits = partial(0, {test_ip()});
  std::fill(bits.begin() + static_cast<long>(bits.size() / 2), bits.end(), 0);  // cut short
  EXPECT_EQ(load(0, bits, {test_ip()}).error, uint32_t{EBADMSG});
  EXPECT_EQ(since_setup(0, &drm_zaccel_region_query::errors), 3u);
  expect_usable(0);
}

TEST_P(Semantics, InjectedPrCrcError) {
  if (dev_->backend().inject_fault(0, emu::Fault::kPrCrc) == -EOPNOTSUPP) {
    GTEST_SKIP() << "backend cannot inject faults";
  }
  EXPECT_EQ(load(0, partial(0, {test_ip()}), {test_ip()}).error, uint32_t{EBADMSG});
  EXPECT_EQ(dev_->query(0).state, uint32_t{DRM_ZACCEL_STATE_WRITE_COMPLETE_ERR});
  EXPECT_TRUE(decoupled(dev_->query(0)));
  expect_usable(0);
}

TEST_P(Semantics, InjectedDmaTimeoutAndIpHang) {
  ASSERT_EQ(load(1, partial(1, {test_ip()}), {test_ip()}).error, 0u);
  if (dev_->backend().inject_fault(1, emu::Fault::kDmaTimeout) == -EOPNOTSUPP) {
    GTEST_SKIP() << "backend cannot inject faults";
  }
  EXPECT_EQ(run_job(1).error, uint32_t{EIO});
  EXPECT_EQ(dev_->query(1).last_error, uint32_t{EIO});
  EXPECT_EQ(run_job(1).error, 0u) << "the next job succeeds";
  ASSERT_EQ(dev_->backend().inject_fault(1, emu::Fault::kIpHang), 0);
  EXPECT_EQ(run_job(1).error, uint32_t{ETIMEDOUT});
  const drm_zaccel_region_query q = dev_->query(1);
  EXPECT_EQ(q.state, uint32_t{DRM_ZACCEL_STATE_OPERATING}) << "a reset keeps the IP";
  EXPECT_TRUE(ip_valid(q));
  EXPECT_EQ(q.errors - base_[1].errors, 2u);
  EXPECT_EQ(run_job(1).error, 0u);
  EXPECT_OUTPUT(output(), expected_output());
  expect_usable(1);
}

TEST_P(Semantics, SeveralIpsInOneRegion) {
  const std::vector<drm_zaccel_ip_id> ids = {test_ip(), test_ip(1)};
  ASSERT_EQ(load(0, partial(0, ids), ids).error, 0u);
  const drm_zaccel_region_query q0 = dev_->query(0, 0), q1 = dev_->query(0, 1);
  EXPECT_EQ(q0.slots, 2u);
  EXPECT_EQ(q0.loaded.out_c, 2u);
  EXPECT_EQ(q1.loaded.out_c, 1u) << "each slot reads back its own identity";
  EXPECT_EQ(dev_->query(0, 2).loaded.magic, 0u) << "an empty slot reads zero";
  dev::Syncobj done_a(*dev_), done_b(*dev_);
  const size_t rec_a = submit_job(0, {}, done_a, 0), rec_b = submit_job(0, {}, done_b, 1);
  done_a.wait(dev::deadline_after_ms(10000));
  done_b.wait(dev::deadline_after_ms(10000));
  const drm_zaccel_report a = read_report(rec_a), b = read_report(rec_b);
  EXPECT_EQ(a.error, 0u);
  EXPECT_EQ(b.error, 0u);
  EXPECT_LT(b.start_ns, a.end_ns) << "slots compute side by side";
  EXPECT_LT(a.start_ns, b.end_ns);
  EXPECT_EQ(run_job(0, {}, nullptr, 0).error, 0u);
  EXPECT_OUTPUT(output(), expected_output());
  EXPECT_EQ(run_job(0, {}, nullptr, 2).error, uint32_t{ENODEV}) << "no IP in slot 2";
  EXPECT_EQ(load(0, partial(0, ids), {test_ip()}).error, uint32_t{EPROTO})
      << "one identity expected, the partial holds two";
  expect_usable(0);
}

TEST_P(Semantics, FailureCancelsDependents) {
  dev::Syncobj a(*dev_);
  EXPECT_EQ(run_job(0, {}, &a).error, uint32_t{ENODEV});
  EXPECT_EQ(run_job(1, {a.handle()}).error, uint32_t{ECANCELED});
}

INSTANTIATE_TEST_SUITE_P(Backends, Semantics, ::testing::ValuesIn(backends()));

}  // namespace
}  // namespace zaccel::conformance
