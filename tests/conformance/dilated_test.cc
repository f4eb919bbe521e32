// A conv IP with a dilated window (uapi 6, DRM_ZACCEL_IP_STEP): a 3x3 window whose taps are two
// positions apart spans 5, so over the standard 6x6 input with one row and column of padding on
// each side it gives the standard 4x4 output, computed from other inputs than the undilated
// IP's. An identity whose output is not what the dilated window gives is refused up front, as
// a stride of zero is whatever its dilation bits say.
#include "conformance/fixture.h"
#include "kernels/conv2d.h"
#include "util/error.h"

namespace zaccel::conformance {
namespace {

class Dilated : public Conformance {
 protected:
  static drm_zaccel_ip_id dilated() {
    drm_zaccel_ip_id id = test_ip();
    id.stride = DRM_ZACCEL_IP_STEP(1, 2) << 16 | DRM_ZACCEL_IP_STEP(1, 2);
    id.padding = 1 << 24 | 1 << 16 | 1 << 8 | 1;
    return id;
  }
};

TEST_P(Dilated, TapsAreTheDilationApart) {
  const drm_zaccel_ip_id id = dilated();
  ASSERT_EQ(load(0, partial(0, {id}), {id}).error, 0u);
  ASSERT_EQ(run_job(0).error, 0u);
  std::vector<int16_t> in(kImages * 36);
  for (size_t i = 0; i < in.size(); ++i)
    in[i] = static_cast<int16_t>((i * 37 % 255) - 127);
  kernels::ConvParams p{{1, 6, 6}, id.out_c, {3, 3, 1, 1, 1, 1, 1, 1, 2, 2}, {kShift, 8, true}};
  std::vector<int16_t> want(kImages * id.out_c * 16);
  kernels::conv2d(p, kImages, in.data(), weights_.data(), bias_.data(), want.data());
  EXPECT_OUTPUT(output(), want);
  EXPECT_NE(want, expected_output()) << "not the undilated IP's output";
}

TEST_P(Dilated, TheOutputMustBeTheDilatedWindows) {
  drm_zaccel_ip_id unpadded = dilated();
  unpadded.padding = 0;  // a 5-wide span over 6 positions: 2x2, not 4x4
  EXPECT_THROW(load(0, partial(0, {dilated()}), {unpadded}), Error);
  unpadded.out_h = unpadded.out_w = 2;
  EXPECT_EQ(load(0, partial(0, {unpadded}), {unpadded}).error, 0u);
  drm_zaccel_ip_id no_stride = dilated();
  no_stride.stride = DRM_ZACCEL_IP_STEP(0, 2) << 16 | DRM_ZACCEL_IP_STEP(1, 2);
  EXPECT_THROW(load(0, partial(0, {dilated()}), {no_stride}), Error);
  // A partial whose IP reports another dilation than expected fails the load.
  EXPECT_EQ(load(0, partial(0, {test_ip()}), {dilated()}).error, uint32_t{EPROTO});
  expect_usable(0);
}

INSTANTIATE_TEST_SUITE_P(Backends, Dilated, ::testing::ValuesIn(backends()));

}  // namespace
}  // namespace zaccel::conformance
