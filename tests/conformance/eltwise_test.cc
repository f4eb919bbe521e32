// The element-wise IP (DRM_ZACCEL_IP_ELTWISE, uapi 4): a residual Add of two inputs of one
// shape, the operand with fewer fractional bits aligned to the other's by job register 6,
// then requantized as a conv IP's accumulator. Its identity is its input's shape, 1x1 and
// unpadded, with no weights; its job takes the second input as argument 2, strided by
// register 7. An alignment past 32 either way, or a second input that is missing, too short
// or strided shorter than an image, fails the job with EINVAL and leaves the region usable.
#include "kernels/eltwise.h"
#include "conformance/fixture.h"
#include "util/error.h"

namespace zaccel::conformance {
namespace {

constexpr uint64_t kWait = 10'000;
constexpr uint32_t kValues = 2 * 4 * 4;  // per image

class Eltwise : public Conformance {
 protected:
  /// add 2x4x4 + 2x4x4 -> 2x4x4, 8-bit, with ReLU.
  static drm_zaccel_ip_id add_ip() {
    drm_zaccel_ip_id id{};
    id.magic = ZACCEL_IP_MAGIC;
    id.kind = DRM_ZACCEL_IP_ELTWISE;
    id.version = 1 << 16;
    id.flags = DRM_ZACCEL_IP_ELTWISE_OP(DRM_ZACCEL_ELTWISE_ADD) | DRM_ZACCEL_IP_RELU;
    id.in_c = id.out_c = 2;
    id.in_h = id.in_w = id.out_h = id.out_w = 4;
    id.kernel = id.stride = 1 << 16 | 1;
    id.bits = 8 << 8 | 8;
    id.weight_mode = DRM_ZACCEL_WEIGHTS_NONE;
    id.lanes = 4;
    return id;
  }
  /// Values -60..67 and, for b, their reverse, `stride` apart per image.
  static std::vector<int16_t> operand(bool reverse, uint32_t stride) {
    std::vector<int16_t> v(kImages * stride, 99);
    for (uint32_t i = 0; i < kImages; ++i) {
      for (uint32_t k = 0; k < kValues; ++k) {
        const int x = static_cast<int>(i * kValues + k) - 60;
        v[i * stride + k] = static_cast<int16_t>(reverse ? -x / 2 : x);
      }
    }
    return v;
  }
  std::unique_ptr<dev::Bo> bo_of(const std::vector<int16_t> &v) {
    const auto *p = reinterpret_cast<const uint8_t *>(v.data());
    return bo_with(std::vector<uint8_t>(p, p + v.size() * 2));
  }
  /// A job of the add IP: inputs a and (unless null) b, `regs`; returns its record.
  drm_zaccel_report run(dev::Bo &a, dev::Bo *b, uint64_t b_bytes,
                        const std::vector<uint32_t> &regs) {
    std::vector<drm_zaccel_arg> args = {{a.handle(), DRM_ZACCEL_ARG_READ, 0, a.size()},
                                        {out_->handle(), DRM_ZACCEL_ARG_WRITE, 0, out_->size()}};
    if (b) args.push_back({b->handle(), DRM_ZACCEL_ARG_READ, 0, b_bytes});
    dev::Syncobj done(*dev_);
    const size_t rec = next_record_++;
    dev_->submit(0, 0, args, regs, {}, done.handle(),
                 {reports_.get(), rec * sizeof(drm_zaccel_report)});
    done.wait(dev::deadline_after_ms(kWait));
    return read_report(rec);
  }
  /// What the add IP computes from operand(false) and operand(true).
  static std::vector<int16_t> reference(int32_t align, int32_t shift) {
    const std::vector<int16_t> a = operand(false, kValues), b = operand(true, kValues);
    std::vector<int16_t> want(a.size());
    kernels::add({align, {shift, 8, true}}, a.size(), a.data(), b.data(), want.data());
    return want;
  }
};

TEST_P(Eltwise, AddsAlignedOperands) {
  const drm_zaccel_ip_id id = add_ip();
  ASSERT_EQ(load(0, partial(0, {id}), {id}).error, 0u);
  auto a = bo_of(operand(false, kValues));
  // b strided 40 values apart: register 7 skips the 8 between its images.
  auto b = bo_of(operand(true, 40));
  ASSERT_EQ(run(*a, b.get(), b->size(), {kImages, 1, 0, 0, 0, 0, 2, 40}).error, 0u);
  const std::vector<int16_t> want = reference(2, 1);
  const std::vector<int16_t> got = output();
  EXPECT_OUTPUT(std::vector<int16_t>(got.begin(), got.begin() + want.size()), want);
  // The other way: a aligned to b.
  ASSERT_EQ(
      run(*a, b.get(), b->size(), {kImages, 0, 0, 0, 0, 0, static_cast<uint32_t>(-3), 40}).error,
      0u);
  const std::vector<int16_t> got2 = output();
  EXPECT_OUTPUT(std::vector<int16_t>(got2.begin(), got2.begin() + want.size()), reference(-3, 0));
}

TEST_P(Eltwise, BadJobsFailAndLeaveTheRegionUsable) {
  const drm_zaccel_ip_id id = add_ip();
  ASSERT_EQ(load(0, partial(0, {id}), {id}).error, 0u);
  auto a = bo_of(operand(false, kValues));
  auto b = bo_of(operand(true, kValues));
  EXPECT_EQ(run(*a, b.get(), b->size(), {kImages, 0, 0, 0, 0, 0, 32}).error, 0u);
  EXPECT_EQ(run(*a, b.get(), b->size(), {kImages, 0, 0, 0, 0, 0, static_cast<uint32_t>(-32)}).error,
            0u);
  EXPECT_EQ(run(*a, b.get(), b->size(), {kImages, 0, 0, 0, 0, 0, 33}).error, uint32_t{EINVAL});
  EXPECT_EQ(run(*a, b.get(), b->size(), {kImages, 0, 0, 0, 0, 0, static_cast<uint32_t>(-33)}).error,
            uint32_t{EINVAL});
  EXPECT_EQ(run(*a, nullptr, 0, {kImages}).error, uint32_t{EINVAL}) << "no second input";
  EXPECT_EQ(run(*a, b.get(), b->size() - 2, {kImages}).error, uint32_t{EINVAL}) << "short";
  EXPECT_EQ(run(*a, b.get(), b->size(), {kImages, 0, 0, 0, 0, 0, 0, kValues - 1}).error,
            uint32_t{EINVAL})
      << "second input stride shorter than an image";
  expect_usable(0);
}

TEST_P(Eltwise, IdentityIsItsInputsShapeWithNoWeights) {
  const drm_zaccel_ip_id good = add_ip();
  auto refused = [&](drm_zaccel_ip_id bad, const char *why) {
    try {
      load(0, partial(0, {good}), {bad});
      ADD_FAILURE() << why << ": loaded";
    } catch (const Error &e) {
      EXPECT_EQ(e.err(), EINVAL) << why;
    }
  };
  drm_zaccel_ip_id bad = good;
  bad.flags = DRM_ZACCEL_IP_RELU;
  refused(bad, "no operation");
  bad.flags = DRM_ZACCEL_IP_ELTWISE_OP(DRM_ZACCEL_ELTWISE_MAX + 1);
  refused(bad, "unknown operation");
  bad = good;
  bad.flags |= DRM_ZACCEL_IP_ACT(DRM_ZACCEL_ACT_CLIP);
  refused(bad, "an activation");
  bad = good;
  bad.out_c = 1;
  refused(bad, "output channels other than the input's");
  bad = good;
  bad.kernel = 3 << 16 | 3;
  refused(bad, "a 3x3 kernel");
  bad = good;
  bad.bits |= 8 << 16;
  refused(bad, "weight bits");
  bad = good;
  bad.weight_mode = DRM_ZACCEL_WEIGHTS_EMBEDDED;
  refused(bad, "embedded weights");
  bad = test_ip();
  bad.flags |= DRM_ZACCEL_IP_ELTWISE_OP(DRM_ZACCEL_ELTWISE_ADD);
  refused(bad, "an element-wise operation on a conv IP");
  expect_usable(0);
}

INSTANTIATE_TEST_SUITE_P(Backends, Eltwise, ::testing::ValuesIn(backends()));

}  // namespace
}  // namespace zaccel::conformance
