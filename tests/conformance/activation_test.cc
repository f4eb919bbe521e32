// An activation in a conv IP's output stage (DRM_ZACCEL_IP_ACT_MASK) and its job register,
// DRM_ZACCEL_JOB_REG_ACT: a clip's bounds (lo <= hi), a leaky ReLU's Q0.15 slope (at most
// 32767), a hard sigmoid's b << 16 | a (a at most 32767), a hard swish's output fractional bits
// (-32 to 32), zero for a PRelu, whose slopes per channel ride in its bias words (a partial
// without them does not load). A job that breaks them fails with EINVAL and the region stays
// usable; one that keeps them computes what the reference kernel computes.
#include <algorithm>

#include "bitstream/partial.h"
#include "conformance/fixture.h"
#include "device/region_desc.h"
#include "kernels/conv2d.h"

namespace zaccel::conformance {
namespace {

constexpr uint64_t kWait = 10'000;

class Activation : public Conformance {
 protected:
  static drm_zaccel_ip_id with_act(uint32_t act) {
    drm_zaccel_ip_id id = test_ip();
    id.flags = DRM_ZACCEL_IP_ACT(act);
    return id;
  }
  /// The standard job with `param` in the activation register; the record.
  drm_zaccel_report run_with(uint32_t param) {
    dev::Syncobj done(*dev_);
    const size_t rec = next_record_++;
    dev_->submit(0, 0,
                 {{in_->handle(), DRM_ZACCEL_ARG_READ, 0, in_->size()},
                  {out_->handle(), DRM_ZACCEL_ARG_WRITE, 0, out_->size()}},
                 {kImages, static_cast<uint32_t>(kShift), 0, 0, 0, param}, {}, done.handle(),
                 {reports_.get(), rec * sizeof(drm_zaccel_report)});
    done.wait(dev::deadline_after_ms(kWait));
    return read_report(rec);
  }
  /// The test IP's partial for region 0 with bias words `bias` (its embedded weights the
  /// fixture's).
  std::vector<uint8_t> partial_with(const drm_zaccel_ip_id &id, std::vector<int64_t> bias) {
    const emu::RegionDesc desc = region_desc(*dev_, 0);
    emu::PartialContents c;
    c.interface_id = desc.interface_id;
    c.ips.push_back({id, {weights_.begin(), weights_.begin() + id.out_c * 9}, std::move(bias)});
    return emu::build_partial(c, desc);
  }
  /// What the test IP computes with output stage `rq` (and bias words `bias`, if not null).
  std::vector<int16_t> reference(kernels::Requant rq, const int64_t *bias = nullptr) {
    in_->prep(DRM_ZACCEL_PREP_READ, dev::deadline_after_ms(kWait));
    const auto *x = reinterpret_cast<const int16_t *>(in_->data());
    const std::vector<int16_t> in(x, x + kImages * 36);
    in_->fini();
    std::vector<int16_t> want(kImages * 32);
    kernels::conv2d({{1, 6, 6}, 2, {3, 3, 1, 1, 0, 0, 0, 0}, rq}, kImages, in.data(),
                    weights_.data(), bias ? bias : bias_.data(), want.data());
    return want;
  }
};

TEST_P(Activation, ClipBounds) {
  const drm_zaccel_ip_id id = with_act(DRM_ZACCEL_ACT_CLIP);
  ASSERT_EQ(load(0, partial(0, {id}), {id}).error, 0u);
  EXPECT_EQ(run_with(0xFFF0u << 16 | 0).error, uint32_t{EINVAL}) << "lo 0 above hi -16";
  ASSERT_EQ(run_with(20u << 16 | 0xFFF6u).error, 0u);  // [-10, 20]
  kernels::Requant rq{kShift, 8};
  rq.act = kernels::Act::kClip;
  rq.lo = -10;
  rq.hi = 20;
  const std::vector<int16_t> got = output();
  EXPECT_OUTPUT(std::vector<int16_t>(got.begin(), got.begin() + kImages * 32), reference(rq));
}

TEST_P(Activation, LeakySlope) {
  const drm_zaccel_ip_id id = with_act(DRM_ZACCEL_ACT_LEAKY);
  ASSERT_EQ(load(0, partial(0, {id}), {id}).error, 0u);
  EXPECT_EQ(run_with(0x8000).error, uint32_t{EINVAL}) << "a slope of 1.0 is not Q0.15";
  ASSERT_EQ(run_with(3277).error, 0u);  // 0.1
  kernels::Requant rq{kShift, 8};
  rq.act = kernels::Act::kLeaky;
  rq.slope = 3277;
  const std::vector<int16_t> got = output();
  const std::vector<int16_t> want = reference(rq);
  EXPECT_OUTPUT(std::vector<int16_t>(got.begin(), got.begin() + kImages * 32), want);
  EXPECT_TRUE(std::any_of(want.begin(), want.end(), [](int16_t v) { return v < 0; }))
      << "the test input reaches the negative side";
}

TEST_P(Activation, HardSigmoidSlope) {
  const drm_zaccel_ip_id id = with_act(DRM_ZACCEL_ACT_HARDSIGMOID);
  ASSERT_EQ(load(0, partial(0, {id}), {id}).error, 0u);
  EXPECT_EQ(run_with(16384u << 16 | 0x8000).error, uint32_t{EINVAL}) << "a of 1.0: not Q0.15";
  ASSERT_EQ(run_with(16384u << 16 | 5461).error, 0u);  // a 1/6, b 1/2
  kernels::Requant rq{kShift, 8};
  rq.act = kernels::Act::kHardSigmoid;
  rq.slope = 5461;
  rq.offset = 16384;
  const std::vector<int16_t> got = output();
  const std::vector<int16_t> want = reference(rq);
  EXPECT_OUTPUT(std::vector<int16_t>(got.begin(), got.begin() + kImages * 32), want);
  EXPECT_TRUE(std::any_of(want.begin(), want.end(), [](int16_t v) { return v > 0 && v < 127; }))
      << "the test input reaches the sloped segment";
}

TEST_P(Activation, HardSwishFraction) {
  const drm_zaccel_ip_id id = with_act(DRM_ZACCEL_ACT_HARDSWISH);
  ASSERT_EQ(load(0, partial(0, {id}), {id}).error, 0u);
  EXPECT_EQ(run_with(33).error, uint32_t{EINVAL}) << "33 fractional bits";
  EXPECT_EQ(run_with(static_cast<uint32_t>(-33)).error, uint32_t{EINVAL});
  ASSERT_EQ(run_with(4).error, 0u);
  kernels::Requant rq{kShift, 8};
  rq.act = kernels::Act::kHardSwish;
  rq.frac = 4;
  const std::vector<int16_t> got = output();
  const std::vector<int16_t> want = reference(rq);
  EXPECT_OUTPUT(std::vector<int16_t>(got.begin(), got.begin() + kImages * 32), want);
  EXPECT_TRUE(std::any_of(want.begin(), want.end(), [](int16_t v) { return v < 0; }))
      << "the test input reaches the curved segment";
}

TEST_P(Activation, PReluSlopesPerChannel) {
  const drm_zaccel_ip_id id = with_act(DRM_ZACCEL_ACT_PRELU);
  const std::vector<int64_t> words = {kernels::prelu_word(bias_[0], 3277),    // 0.1
                                      kernels::prelu_word(bias_[1], 16384)};  // 0.5
  EXPECT_EQ(load(0, partial_with(id, {}), {id}).error, uint32_t{EBADMSG}) << "no slopes";
  ASSERT_EQ(load(0, partial_with(id, words), {id}).error, 0u);
  EXPECT_EQ(run_with(3277).error, uint32_t{EINVAL}) << "its register 5 is zero";
  ASSERT_EQ(run_with(0).error, 0u);
  kernels::Requant rq{kShift, 8};
  rq.act = kernels::Act::kPRelu;
  const std::vector<int16_t> got = output();
  const std::vector<int16_t> want = reference(rq, words.data());
  EXPECT_OUTPUT(std::vector<int16_t>(got.begin(), got.begin() + kImages * 32), want);
  rq.act = kernels::Act::kLeaky;
  rq.slope = 3277;
  EXPECT_NE(want, reference(rq)) << "channel 1's slope is not channel 0's";
  expect_usable(0);
}

INSTANTIATE_TEST_SUITE_P(Backends, Activation, ::testing::ValuesIn(backends()));

}  // namespace
}  // namespace zaccel::conformance
