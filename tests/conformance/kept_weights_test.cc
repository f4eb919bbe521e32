// Batch-cached weights: a job loads them, later jobs on the slot keep them
// (DRM_ZACCEL_JOB_KEEP_WEIGHTS) and move no weight bytes; the job-time errors for misuse.
#include "conformance/fixture.h"

namespace zaccel::conformance {
namespace {

constexpr uint64_t kWait = 10'000;

class KeptWeights : public Conformance {
 protected:
  void SetUp() override {
    Conformance::SetUp();
    if (HasFatalFailure()) return;
    std::vector<uint8_t> w(weights_.size() * 2), b(bias_.size() * 8);
    std::memcpy(w.data(), weights_.data(), w.size());
    std::memcpy(b.data(), bias_.data(), b.size());
    wbo_ = bo_with(w);
    bbo_ = bo_with(b);
  }
  static drm_zaccel_ip_id cached_ip() {
    drm_zaccel_ip_id id = test_ip();
    id.weight_mode = DRM_ZACCEL_WEIGHTS_BATCH_CACHED;
    return id;
  }
  /// A job on region 0 slot 0 with control bits `control`, passing the weights if `load`.
  drm_zaccel_report job(uint32_t control, bool load) {
    std::vector<drm_zaccel_arg> args = {{in_->handle(), DRM_ZACCEL_ARG_READ, 0, in_->size()},
                                        {out_->handle(), DRM_ZACCEL_ARG_WRITE, 0, out_->size()}};
    if (load) {
      args.push_back({wbo_->handle(), DRM_ZACCEL_ARG_READ, 0, wbo_->size()});
      args.push_back({bbo_->handle(), DRM_ZACCEL_ARG_READ, 0, bbo_->size()});
    }
    dev::Syncobj done(*dev_);
    const size_t rec = next_record_++;
    dev_->submit(0, 0, args, {kImages, static_cast<uint32_t>(kShift), control}, {}, done.handle(),
                 {reports_.get(), rec * sizeof(drm_zaccel_report)});
    done.wait(dev::deadline_after_ms(kWait));
    return read_report(rec);
  }
  std::unique_ptr<dev::Bo> wbo_, bbo_;
};

TEST_P(KeptWeights, LaterJobsComputeWithTheWeightsTheFirstLoaded) {
  ASSERT_EQ(load(0, partial(0, {cached_ip()}), {cached_ip()}).error, 0u);
  const drm_zaccel_report first = job(0, true);
  ASSERT_EQ(first.error, 0u);
  EXPECT_OUTPUT(output(), expected_output());
  const drm_zaccel_report kept = job(DRM_ZACCEL_JOB_KEEP_WEIGHTS, false);
  ASSERT_EQ(kept.error, 0u);
  EXPECT_OUTPUT(output(), expected_output());
  EXPECT_EQ(first.bytes - kept.bytes, wbo_->size() + bbo_->size()) << "a kept job moves no weights";
}

TEST_P(KeptWeights, MisuseFailsTheJobAndLeavesTheRegionUsable) {
  ASSERT_EQ(load(0, partial(0, {cached_ip()}), {cached_ip()}).error, 0u);
  EXPECT_EQ(job(DRM_ZACCEL_JOB_KEEP_WEIGHTS, false).error, uint32_t{ENODATA}) << "nothing kept yet";
  EXPECT_EQ(job(1u << 7, true).error, uint32_t{EINVAL}) << "unknown control bit";
  ASSERT_EQ(job(0, true).error, 0u);
  EXPECT_EQ(job(DRM_ZACCEL_JOB_KEEP_WEIGHTS, true).error, uint32_t{EINVAL})
      << "weights passed with KEEP";
  ASSERT_EQ(load(0, partial(0, {cached_ip()}), {cached_ip()}).error, 0u);
  EXPECT_EQ(job(DRM_ZACCEL_JOB_KEEP_WEIGHTS, false).error, uint32_t{ENODATA})
      << "a reconfiguration drops what was kept";
  ASSERT_EQ(load(0, partial(0, {test_ip()}), {test_ip()}).error, 0u);
  EXPECT_EQ(job(DRM_ZACCEL_JOB_KEEP_WEIGHTS, false).error, uint32_t{EINVAL})
      << "embedded weights keep nothing";
  expect_usable(0);
}

INSTANTIATE_TEST_SUITE_P(Backends, KeptWeights, ::testing::ValuesIn(backends()));

}  // namespace
}  // namespace zaccel::conformance
