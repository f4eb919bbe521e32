// Register 3 of a job, the output stride: each image's output lands that many values after the
// previous one's, so that IPs computing some of a layer's output channels each write theirs
// side by side into one buffer; a stride shorter than an image's output fails the job.
#include "conformance/fixture.h"

namespace zaccel::conformance {
namespace {

constexpr uint64_t kWait = 10'000;

class OutputStride : public Conformance {
 protected:
  /// Runs the standard job with output stride `stride` at byte `offset` of out_; the record.
  drm_zaccel_report run_strided(uint32_t stride, uint64_t offset) {
    dev::Syncobj done(*dev_);
    const size_t rec = next_record_++;
    dev_->submit(0, 0,
                 {{in_->handle(), DRM_ZACCEL_ARG_READ, 0, in_->size()},
                  {out_->handle(), DRM_ZACCEL_ARG_WRITE, offset, out_->size() - offset}},
                 {kImages, static_cast<uint32_t>(kShift), 0, stride}, {}, done.handle(),
                 {reports_.get(), rec * sizeof(drm_zaccel_report)});
    done.wait(dev::deadline_after_ms(kWait));
    return read_report(rec);
  }
};

TEST_P(OutputStride, ImagesLandAStrideApart) {
  ASSERT_EQ(load(0, partial(0, {test_ip()}), {test_ip()}).error, 0u);
  const uint32_t per = test_ip().out_c * 16;  // values of one image's output
  std::memset(out_->data(), 0x55, static_cast<size_t>(out_->size()));
  out_->fini();
  ASSERT_EQ(run_strided(3 * per, 8).error, 0u);
  out_->prep(DRM_ZACCEL_PREP_READ, dev::deadline_after_ms(kWait));
  const std::vector<int16_t> want = expected_output();
  const auto *got = reinterpret_cast<const int16_t *>(out_->data() + 8);
  for (uint32_t i = 0; i < kImages; ++i) {
    EXPECT_OUTPUT(std::vector<int16_t>(got + i * 3 * per, got + i * 3 * per + per),
                  std::vector<int16_t>(want.begin() + i * per, want.begin() + (i + 1) * per))
        << "image " << i;
    EXPECT_EQ(static_cast<uint16_t>(got[i * 3 * per + per]), 0x5555u) << "the gap is untouched";
  }
}

TEST_P(OutputStride, ShortStrideOrBufferFailsTheJob) {
  ASSERT_EQ(load(0, partial(0, {test_ip()}), {test_ip()}).error, 0u);
  const uint32_t per = test_ip().out_c * 16;
  EXPECT_EQ(run_strided(per - 1, 0).error, uint32_t{EINVAL});
  EXPECT_EQ(run_strided(4096, 0).error, uint32_t{EINVAL}) << "the second image past the BO";
  EXPECT_EQ(run_strided(0, 0).error, 0u) << "0: packed";
  EXPECT_OUTPUT(output(), expected_output());
}

INSTANTIATE_TEST_SUITE_P(Backends, OutputStride, ::testing::ValuesIn(backends()));

}  // namespace
}  // namespace zaccel::conformance
