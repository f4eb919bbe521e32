// A conv IP with channel groups (DRM_ZACCEL_IP_GROUPS, uapi 3): a depthwise IP over the
// standard input read as one image of two channels, each channel convolved by its own filter;
// its partial embeds out_c x (in_c / groups) windows of weights. Groups that do not divide
// the channels, or on an fc IP, are refused up front.
#include "conformance/fixture.h"
#include "kernels/conv2d.h"
#include "util/error.h"

namespace zaccel::conformance {
namespace {

constexpr uint64_t kWait = 10'000;

class Grouped : public Conformance {
 protected:
  /// conv 2x6x6 -> 2x4x4, 3x3, two groups: depthwise.
  static drm_zaccel_ip_id depthwise() {
    drm_zaccel_ip_id id = test_ip();
    id.in_c = 2;
    id.flags = DRM_ZACCEL_IP_RELU | DRM_ZACCEL_IP_GROUPS(2);
    return id;
  }
  /// One image of the depthwise IP over in_ (the standard job's two images, read as one).
  drm_zaccel_report run_one() {
    dev::Syncobj done(*dev_);
    const size_t rec = next_record_++;
    dev_->submit(0, 0,
                 {{in_->handle(), DRM_ZACCEL_ARG_READ, 0, in_->size()},
                  {out_->handle(), DRM_ZACCEL_ARG_WRITE, 0, out_->size()}},
                 {1, static_cast<uint32_t>(kShift)}, {}, done.handle(),
                 {reports_.get(), rec * sizeof(drm_zaccel_report)});
    done.wait(dev::deadline_after_ms(kWait));
    return read_report(rec);
  }
};

TEST_P(Grouped, DepthwiseConvolvesEachChannelAlone) {
  const drm_zaccel_ip_id id = depthwise();
  ASSERT_EQ(load(0, partial(0, {id}), {id}).error, 0u);  // 2 x 1 x 3 x 3 weights
  ASSERT_EQ(run_one().error, 0u);
  in_->prep(DRM_ZACCEL_PREP_READ, dev::deadline_after_ms(kWait));
  const auto *x = reinterpret_cast<const int16_t *>(in_->data());
  const std::vector<int16_t> in(x, x + 72);
  in_->fini();
  kernels::ConvParams p{{2, 6, 6}, 2, {3, 3, 1, 1, 0, 0, 0, 0}, {kShift, 8, true}, 2};
  std::vector<int16_t> want(32);
  kernels::conv2d(p, 1, in.data(), weights_.data(), bias_.data(), want.data());
  const std::vector<int16_t> got = output();
  EXPECT_OUTPUT(std::vector<int16_t>(got.begin(), got.begin() + 32), want);
  // Not the ungrouped layer: channel 1 alone gives output channel 1.
  p.groups = 1;
  p.in.c = 1;
  std::vector<int16_t> ch1(16);
  kernels::conv2d({{1, 6, 6}, 1, p.win, p.rq}, 1, in.data() + 36, weights_.data() + 9,
                  bias_.data() + 1, ch1.data());
  EXPECT_OUTPUT(std::vector<int16_t>(got.begin() + 16, got.begin() + 32), ch1);
}

TEST_P(Grouped, GroupsMustDivideTheChannelsOfAConv) {
  drm_zaccel_ip_id bad = depthwise();
  bad.flags = DRM_ZACCEL_IP_GROUPS(3);
  EXPECT_THROW(load(0, partial(0, {depthwise()}), {bad}), Error);
  drm_zaccel_ip_id fc = test_ip();
  fc.kind = DRM_ZACCEL_IP_FC;
  fc.in_c = 36;
  fc.in_h = fc.in_w = fc.out_h = fc.out_w = 1;
  fc.kernel = fc.stride = 0;
  fc.flags = DRM_ZACCEL_IP_GROUPS(2);
  EXPECT_THROW(load(0, partial(0, {depthwise()}), {fc}), Error);
  // A partial whose IP reports other groups than expected fails the load, as any identity.
  drm_zaccel_ip_id one = depthwise();
  one.flags = DRM_ZACCEL_IP_RELU;
  one.in_c = 2;
  EXPECT_EQ(load(0, partial(0, {depthwise()}), {one}).error, uint32_t{EPROTO});
  expect_usable(0);
}

INSTANTIATE_TEST_SUITE_P(Backends, Grouped, ::testing::ValuesIn(backends()));

}  // namespace
}  // namespace zaccel::conformance
