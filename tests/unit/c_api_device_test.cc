// The device half of the C API: opening by URI, BOs, fences, region info and a session whose
// output codes equal the reference path's.
#include <accel/accel.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "sized.h"
#include "zaccel_drm.h"

namespace {

struct CApiDeviceFixture : ::testing::Test {
  void SetUp() override {
    ASSERT_EQ(accel_ctx_new(&ctx), 0);
    accel_ctx_set_log_fn(ctx, nullptr, nullptr);
    ASSERT_EQ(accel_device_open(ctx, "emu:pynq-z2", &dev), 0);
  }
  void TearDown() override {
    accel_device_unref(dev);
    accel_ctx_unref(ctx);
  }
  accel_ctx *ctx = nullptr;
  accel_device *dev = nullptr;
};

TEST(CApiDevice, OpenErrors) {
  accel_ctx *ctx = nullptr;
  ASSERT_EQ(accel_ctx_new(&ctx), 0);
  accel_ctx_set_log_fn(ctx, nullptr, nullptr);
  accel_device *dev = reinterpret_cast<accel_device *>(1);
  EXPECT_EQ(accel_device_open(ctx, "bogus", &dev), -EINVAL);
  EXPECT_EQ(dev, nullptr);
  EXPECT_EQ(accel_device_open(ctx, "emu:/nonexistent.dtbo", &dev), -ENOENT);
  EXPECT_EQ(accel_device_open(ctx, "/dev/null", &dev), -ENODEV);
  EXPECT_EQ(accel_device_open(nullptr, "emu:pynq-z2", &dev), -EINVAL);
  // No zaccel node on this machine: the default is the emulated PYNQ-Z2.
  ASSERT_EQ(accel_device_open(ctx, nullptr, &dev), 0);
  EXPECT_EQ(std::strncmp(accel_device_name(dev), "emu:", 4), 0);
  accel_device_unref(dev);
  accel_ctx_unref(ctx);
}

TEST_F(CApiDeviceFixture, ParamsAndRegions) {
  uint64_t v = 0;
  ASSERT_EQ(accel_device_param(dev, DRM_ZACCEL_PARAM_NUM_REGIONS, 0, &v), 0);
  EXPECT_EQ(v, 2u);
  EXPECT_EQ(accel_device_param(dev, 999, 0, &v), -EINVAL);
  auto info = sized<accel_region_info>();
  ASSERT_EQ(accel_device_region_info(dev, 1, 0, &info), 0);
  EXPECT_STREQ(accel_region_state_name(info.state), "power off");
  EXPECT_EQ(accel_device_region_info(dev, 2, 0, &info), -EINVAL);
}

TEST_F(CApiDeviceFixture, BosAndFences) {
  accel_bo *bo = nullptr;
  ASSERT_EQ(accel_bo_new(dev, 100, 0, &bo), 0);
  EXPECT_EQ(accel_bo_size(bo), 100u);
  ASSERT_NE(accel_bo_map(bo), nullptr);
  EXPECT_EQ(accel_bo_sync_for_cpu(bo, DRM_ZACCEL_PREP_WRITE, 100), 0);
  std::memset(accel_bo_map(bo), 1, 100);
  EXPECT_EQ(accel_bo_sync_for_device(bo), 0);
  EXPECT_EQ(accel_bo_sync_for_cpu(bo, 0, 100), -EINVAL);
  accel_bo *none = nullptr;
  EXPECT_EQ(accel_bo_new(dev, 0, 0, &none), -EINVAL);
  accel_fence *f = nullptr;
  ASSERT_EQ(accel_fence_new(dev, &f), 0);
  EXPECT_EQ(accel_fence_wait(f, 10), -ETIME) << "nothing will signal it";
  // A job on a region without an IP: queued fine, fails while running, signals the fence.
  const accel_arg args[2] = {{bo, 0, 8, DRM_ZACCEL_ARG_READ, 0},
                             {bo, 8, 8, DRM_ZACCEL_ARG_WRITE, 0}};
  const uint32_t regs[1] = {1};
  ASSERT_EQ(accel_device_submit(dev, 0, 0, args, 2, regs, 1, nullptr, 0, f), 0);
  EXPECT_EQ(accel_fence_wait(f, 5000), 0);
  auto info = sized<accel_region_info>();
  ASSERT_EQ(accel_device_region_info(dev, 0, 0, &info), 0);
  EXPECT_EQ(info.last_error, uint32_t{ENODEV});
  EXPECT_EQ(accel_device_submit(dev, 5, 0, args, 2, regs, 1, nullptr, 0, f), -EINVAL);
  accel_fence_unref(f);
  accel_bo_unref(bo);
}

TEST_F(CApiDeviceFixture, SessionMatchesReference) {
  const std::string data = ZACCEL_DATA_DIR;
  if (!std::filesystem::exists(data)) GTEST_SKIP() << "no " << data;
  accel_model *m = nullptr;
  ASSERT_EQ(accel_model_open_onnx(ctx, ZACCEL_MODEL_DIR "/model.onnx", &m), 0);
  accel_dataset *test = nullptr;
  ASSERT_EQ(accel_dataset_open_dir(ctx, data.c_str(), "t10k", &test), 0);
  accel_quant_opts *o = nullptr;
  ASSERT_EQ(accel_quant_opts_new(ctx, &o), 0);
  ASSERT_EQ(accel_quant_opts_set_bits(o, 8, 8), 0);
  ASSERT_EQ(accel_quant_opts_set_calibration(o, test, 100), 0);
  accel_qmodel *q = nullptr;
  ASSERT_EQ(accel_model_quantize(m, o, &q), 0);
  const uint32_t n = 100;
  std::vector<float> in(n * 784);
  ASSERT_EQ(accel_dataset_get_input(test, 0, n, in.data()), 0);
  std::vector<int16_t> ref(n * 10), got(n * 10);
  ASSERT_EQ(accel_qmodel_run(q, in.data(), n, ref.data(), nullptr), 0);
  accel_session *s = nullptr;
  accel_session_opts *so = nullptr;
  ASSERT_EQ(accel_session_opts_new(ctx, &so), 0);
  EXPECT_EQ(accel_session_opts_set_batch(so, 0), -EINVAL) << "batch of zero";
  EXPECT_EQ(accel_session_opts_set_batch(so, 4097), -EINVAL);
  ASSERT_EQ(accel_session_opts_set_batch(so, 32), 0);
  ASSERT_EQ(accel_session_new(dev, q, nullptr, so, &s), 0);
  accel_session_opts_unref(so);  // the session keeps what it needs
  ASSERT_EQ(accel_session_run(s, in.data(), n, got.data(), nullptr), 0);
  EXPECT_EQ(got, ref);
  auto st = sized<accel_run_stats>();
  ASSERT_EQ(accel_session_stats(s, &st), 0);
  EXPECT_EQ(st.images, n);
  EXPECT_EQ(st.batches, 4u);
  EXPECT_GT(st.elapsed_ns, 0u);
  EXPECT_EQ(st.reconfigs, 2u) << "each region loaded once, its IPs resident";
  EXPECT_EQ(st.jobs, 13u * 7) << "batches of 32, 32, 32, 4 in jobs of up to 8 images";
  EXPECT_EQ(accel_session_write_trace(s, "/nonexistent/dir/t.json"), -ENOENT);
  accel_session_unref(s);
  accel_qmodel_unref(q);
  accel_quant_opts_unref(o);
  accel_dataset_unref(test);
  accel_model_unref(m);
}

}  // namespace
