// A layer split by input channel: the first IP (DRM_ZACCEL_IP_ACC_OUT) writes 64-bit partial
// sums of its channels, the last (DRM_ZACCEL_IP_ACC_IN) adds them to its own, then the bias,
// requantization and ReLU; each reads its channels from one buffer through register 4, the
// input stride. Together they compute what the whole IP computes, bit for bit.
#include "conformance/fixture.h"
#include "device/region_desc.h"
#include "kernels/conv2d.h"
#include "util/error.h"

namespace zaccel::conformance {
namespace {

constexpr uint64_t kWait = 10'000;
constexpr uint32_t kImg = 2 * 36;  // values of one 2x6x6 input image

class Cascade : public Conformance {
 protected:
  void SetUp() override {
    Conformance::SetUp();
    std::vector<int16_t> in(kImages * kImg);
    for (size_t i = 0; i < in.size(); ++i)
      in[i] = static_cast<int16_t>(int(i * 29 % 201) - 100);
    input_ = std::make_unique<dev::Bo>(*dev_, in.size() * 2, 0);
    input_->prep(DRM_ZACCEL_PREP_WRITE, dev::deadline_after_ms(kWait));
    std::memcpy(input_->data(), in.data(), in.size() * 2);
    input_->fini();
    for (size_t i = 0; i < w_.size(); ++i)
      w_[i] = static_cast<int16_t>(int(i * 11 % 23) - 11);
    // The reference: the whole layer, 2 input channels.
    kernels::ConvParams p{{2, 6, 6}, 2, {3, 3, 1, 1, 0, 0, 0, 0}, {kShift, 8, true}};
    want_.resize(kImages * 32);
    kernels::conv2d(p, kImages, in.data(), w_.data(), bias_.data(), want_.data());
    sums_ = std::make_unique<dev::Bo>(*dev_, kImages * 32 * 8, 0);
  }

  /// The IP computing input channel `c` of the layer, first (ACC_OUT) or last (ACC_IN).
  static drm_zaccel_ip_id part(bool first) {
    drm_zaccel_ip_id id = test_ip();
    id.flags = first ? DRM_ZACCEL_IP_ACC_OUT : DRM_ZACCEL_IP_ACC_IN | DRM_ZACCEL_IP_RELU;
    return id;
  }
  std::vector<uint8_t> part_partial(uint32_t region, bool first) {
    const emu::RegionDesc desc = region_desc(*dev_, region);
    emu::PartialContents c;
    c.interface_id = desc.interface_id;
    emu::IpImage ip;
    ip.id = part(first);
    const size_t ch = first ? 0 : 1;
    for (size_t o = 0; o < 2; ++o)
      ip.weights.insert(ip.weights.end(), w_.begin() + (o * 2 + ch) * 9,
                        w_.begin() + (o * 2 + ch + 1) * 9);
    if (!first) ip.bias.assign(bias_.begin(), bias_.end());
    c.ips.push_back(std::move(ip));
    return emu::build_partial(c, desc);
  }
  /// Runs the part in `region` on channel `ch` of every image; returns the record.
  drm_zaccel_report run_part(uint32_t region, uint32_t ch, std::vector<drm_zaccel_arg> extra,
                             uint32_t in_stride = kImg) {
    dev::Syncobj done(*dev_);
    const size_t rec = next_record_++;
    std::vector<drm_zaccel_arg> args = {
        {input_->handle(), DRM_ZACCEL_ARG_READ, ch * 36 * 2, input_->size() - ch * 36 * 2}};
    args.insert(args.end(), extra.begin(), extra.end());
    dev_->submit(region, 0, args, {kImages, static_cast<uint32_t>(kShift), 0, 0, in_stride}, {},
                 done.handle(), {reports_.get(), rec * sizeof(drm_zaccel_report)});
    done.wait(dev::deadline_after_ms(kWait));
    return read_report(rec);
  }

  std::unique_ptr<dev::Bo> input_, sums_;
  std::vector<int16_t> w_ = std::vector<int16_t>(2 * 2 * 9);  // [out][in][3][3]
  std::vector<int16_t> want_;
};

TEST_P(Cascade, PartsComputeTheWholeLayer) {
  ASSERT_EQ(load(0, part_partial(0, true), {part(true)}).error, 0u);
  ASSERT_EQ(load(1, part_partial(1, false), {part(false)}).error, 0u);
  const drm_zaccel_arg sums_w{sums_->handle(), DRM_ZACCEL_ARG_WRITE, 0, sums_->size()};
  const drm_zaccel_arg sums_r{sums_->handle(), DRM_ZACCEL_ARG_READ, 0, sums_->size()};
  const drm_zaccel_arg out{out_->handle(), DRM_ZACCEL_ARG_WRITE, 0, out_->size()};
  ASSERT_EQ(run_part(0, 0, {sums_w}).error, 0u);
  ASSERT_EQ(run_part(1, 1, {out, sums_r}).error, 0u);
  const std::vector<int16_t> got = output();
  out_->fini();
  EXPECT_OUTPUT(std::vector<int16_t>(got.begin(), got.begin() + want_.size()), want_);
  // Without the first part's sums, the last computes only its own channel: not the layer.
  sums_->prep(DRM_ZACCEL_PREP_WRITE, dev::deadline_after_ms(kWait));
  std::memset(sums_->data(), 0, static_cast<size_t>(sums_->size()));
  sums_->fini();
  ASSERT_EQ(run_part(1, 1, {out, sums_r}).error, 0u);
  const std::vector<int16_t> alone = output();
  if (computes_) {
    EXPECT_NE(std::vector<int16_t>(alone.begin(), alone.begin() + want_.size()), want_);
  }
}

TEST_P(Cascade, BadCascadesFailTheJob) {
  ASSERT_EQ(load(0, part_partial(0, true), {part(true)}).error, 0u);
  ASSERT_EQ(load(1, part_partial(1, false), {part(false)}).error, 0u);
  const drm_zaccel_arg sums_w{sums_->handle(), DRM_ZACCEL_ARG_WRITE, 0, sums_->size()};
  const drm_zaccel_arg short_w{sums_->handle(), DRM_ZACCEL_ARG_WRITE, 0, sums_->size() - 8};
  const drm_zaccel_arg out{out_->handle(), DRM_ZACCEL_ARG_WRITE, 0, out_->size()};
  EXPECT_EQ(run_part(0, 0, {short_w}).error, uint32_t{EINVAL}) << "64-bit sums need room";
  EXPECT_EQ(run_part(1, 1, {out}).error, uint32_t{EINVAL}) << "ACC_IN without its sums";
  EXPECT_EQ(run_part(0, 0, {sums_w}, 35).error, uint32_t{EINVAL}) << "input stride too short";
  EXPECT_EQ(run_part(0, 1, {sums_w}, kImg + 1).error, uint32_t{EINVAL}) << "past the BO";
  // ReLU on partial sums is no IP the fabric builds: the load is refused up front.
  drm_zaccel_ip_id relu = part(true);
  relu.flags |= DRM_ZACCEL_IP_RELU;
  EXPECT_THROW(load(0, part_partial(0, true), {relu}), Error);
  EXPECT_EQ(run_part(0, 0, {sums_w}).error, 0u) << "the region still works";
}

INSTANTIATE_TEST_SUITE_P(Backends, Cascade, ::testing::ValuesIn(backends()));

}  // namespace
}  // namespace zaccel::conformance
