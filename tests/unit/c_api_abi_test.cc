// The C API's growth rules (accel.h, docs/abi.md): the version query, structs that carry their
// size, option objects whose setters check each value strictly, and _ref/_unref on every object.
#include <accel/accel.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "sized.h"
#include "zaccel_drm.h"

namespace {

struct Log {
  std::vector<std::string> lines;
  static void fn(void *self, int, const char *msg) {
    static_cast<Log *>(self)->lines.emplace_back(msg);
  }
  bool said(const std::string &what) const {
    return !lines.empty() && lines.back().find(what) != std::string::npos;
  }
};

class CApiAbi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_EQ(accel_ctx_new(&ctx_), 0);
    accel_ctx_set_log_fn(ctx_, Log::fn, &log_);
    ASSERT_EQ(accel_device_open(ctx_, "emu:pynq-z2", &dev_), 0);
    if (!std::filesystem::exists(ZACCEL_DATA_DIR)) return;
    accel_model *m = nullptr;
    ASSERT_EQ(accel_model_open_onnx(ctx_, ZACCEL_MODEL_DIR "/model.onnx", &m), 0);
    accel_dataset *test = nullptr;
    ASSERT_EQ(accel_dataset_open_dir(ctx_, ZACCEL_DATA_DIR, "t10k", &test), 0);
    accel_quant_opts *o = nullptr;
    ASSERT_EQ(accel_quant_opts_new(ctx_, &o), 0);
    ASSERT_EQ(accel_quant_opts_set_calibration(o, test, 100), 0);
    ASSERT_EQ(accel_model_quantize(m, o, &q_), 0);
    accel_quant_opts_unref(o);
    accel_dataset_unref(test);
    accel_model_unref(m);
  }
  static void TearDownTestSuite() {
    accel_qmodel_unref(q_);
    accel_device_unref(dev_);
    accel_ctx_unref(ctx_);
  }
  void SetUp() override {
    log_.lines.clear();
    if (!q_) GTEST_SKIP() << "no " << ZACCEL_DATA_DIR;
  }

  static accel_ctx *ctx_;
  static accel_device *dev_;
  static accel_qmodel *q_;
  static Log log_;
};

accel_ctx *CApiAbi::ctx_ = nullptr;
accel_device *CApiAbi::dev_ = nullptr;
accel_qmodel *CApiAbi::q_ = nullptr;
Log CApiAbi::log_;

TEST(CApiVersion, MatchesTheHeader) {
  const std::string want = std::to_string(ACCEL_VERSION_MAJOR) + "." +
                           std::to_string(ACCEL_VERSION_MINOR) + "." +
                           std::to_string(ACCEL_VERSION_PATCH);
  EXPECT_EQ(accel_version(), want);
  EXPECT_EQ(accel_uapi_version(), uint32_t{ZACCEL_API_VERSION});
}

TEST_F(CApiAbi, PlanOptionsAreCheckedWhenSet) {
  accel_plan_opts *o = nullptr;
  ASSERT_EQ(accel_plan_opts_new(ctx_, &o), 0);
  EXPECT_EQ(accel_plan_opts_set_mode(o, "fastest"), -EINVAL);
  EXPECT_TRUE(log_.said("fastest"));
  EXPECT_EQ(accel_plan_opts_set_mode(o, nullptr), -EINVAL);
  for (const char *bad :
       {"conv1=4,2junk", "conv1=4", "conv1=4,0", "conv1=", "=4,2", "conv1=+4,2", "conv1=04,2",
        "conv1=4,2;conv1=3,3", "conv1=4,,2", "conv1=in:3", "conv1=65536,1", "conv 1=4,2"}) {
    EXPECT_EQ(accel_plan_opts_set_split(o, bad), -EINVAL) << bad;
    EXPECT_TRUE(log_.said(std::string(bad).substr(0, 5))) << bad << ": " << log_.lines.back();
  }
  EXPECT_EQ(accel_plan_opts_set_split(o, "conv1=4,2;;conv2=in:3,3;"), 0);
  EXPECT_EQ(accel_plan_opts_set_split(o, nullptr), 0);
  EXPECT_EQ(accel_plan_opts_set_stream(o, "conv1,,fc1"), 0);
  EXPECT_EQ(accel_plan_opts_set_stream(o, "conv1,conv1"), -EINVAL);
  EXPECT_EQ(accel_plan_opts_set_stream(o, "conv1;fc1"), -EINVAL);
  EXPECT_EQ(accel_plan_opts_set_batch(o, 0), -EINVAL);
  EXPECT_EQ(accel_plan_opts_set_batch(o, 4097), -EINVAL);
  EXPECT_EQ(accel_plan_opts_set_sweep(o, 4294967295u), -EINVAL) << "no silent wrap";
  EXPECT_EQ(accel_plan_opts_set_sweep(o, (1u << 20) + 1), -EINVAL);
  EXPECT_EQ(accel_plan_opts_set_cache_batch(o, 4294967295u), -EINVAL);
  EXPECT_EQ(accel_plan_opts_set_lib(o, nullptr, "key.pem", 0), -EINVAL);
  EXPECT_EQ(accel_plan_opts_set_lib(o, nullptr, nullptr, 0), 0);
  EXPECT_EQ(accel_plan_opts_set_stream(o, nullptr), 0);  // streaming by hand is for dapp
  EXPECT_EQ(accel_plan_opts_set_mode(o, "dasp"), 0);
  EXPECT_EQ(accel_plan_opts_ref(o), o);
  EXPECT_EQ(accel_plan_opts_unref(o), nullptr);
  accel_plan *p = nullptr;
  ASSERT_EQ(accel_plan_new(q_, dev_, o, &p), 0) << log_.lines.back();
  accel_plan_opts_unref(o);  // the plan keeps nothing of the options
  auto s = sized<accel_plan_summary>();
  ASSERT_EQ(accel_plan_get_summary(p, &s), 0);
  EXPECT_STREQ(s.mode, "dasp");
  accel_plan_unref(p);
}

TEST_F(CApiAbi, SizedStructsFillWhatTheCallerHas) {
  accel_plan *p = nullptr;
  ASSERT_EQ(accel_plan_new(q_, dev_, nullptr, &p), 0);

  // A caller built against a newer header, whose struct has a field the library lacks: the
  // library fills its own fields, says how many bytes, and leaves the rest alone.
  struct Newer {
    accel_plan_summary s;
    uint64_t later_field;
  } newer{};
  newer.s.size = sizeof(newer);
  newer.later_field = 0x5a5a5a5a5a5a5a5aull;
  ASSERT_EQ(accel_plan_get_summary(p, &newer.s), 0);
  EXPECT_EQ(newer.s.size, sizeof(accel_plan_summary));
  EXPECT_EQ(newer.later_field, 0x5a5a5a5a5a5a5a5aull);
  EXPECT_STREQ(newer.s.mode, "static");
  EXPECT_GT(newer.s.dsp, 0u);

  // Smaller than the first release's struct, or not set at all: refused, nothing written.
  accel_plan_summary old{};
  old.size = sizeof(old) - 8;
  EXPECT_EQ(accel_plan_get_summary(p, &old), -EINVAL);
  EXPECT_TRUE(log_.said("plan summary"));
  EXPECT_EQ(old.mode, nullptr);
  accel_plan_layer l{};
  EXPECT_EQ(accel_plan_get_layer(p, 0, &l), -EINVAL);
  l.size = sizeof(l);
  ASSERT_EQ(accel_plan_get_layer(p, 0, &l), 0);
  EXPECT_STREQ(l.name, "conv1");
  EXPECT_EQ(accel_plan_get_layer(p, 99, &l), -EINVAL);

  accel_region_info info{};
  EXPECT_EQ(accel_device_region_info(dev_, 0, 0, &info), -EINVAL);
  info.size = sizeof(info);
  EXPECT_EQ(accel_device_region_info(dev_, 0, 0, &info), 0);
  EXPECT_EQ(info.size, sizeof(info));

  accel_session *s = nullptr;
  ASSERT_EQ(accel_session_new(dev_, q_, p, nullptr, &s), 0);
  accel_run_stats st{};
  EXPECT_EQ(accel_session_stats(s, &st), -EINVAL);
  st.size = sizeof(st);
  EXPECT_EQ(accel_session_stats(s, &st), 0);
  EXPECT_EQ(st.images, 0u);
  accel_session_unref(s);
  accel_plan_unref(p);
}

TEST_F(CApiAbi, EveryObjectHasRefAndUnref) {
  EXPECT_EQ(accel_ctx_ref(ctx_), ctx_);
  EXPECT_EQ(accel_ctx_unref(ctx_), nullptr);
  EXPECT_EQ(accel_device_ref(dev_), dev_);
  EXPECT_EQ(accel_device_unref(dev_), nullptr);
  EXPECT_EQ(accel_qmodel_ref(q_), q_);
  EXPECT_EQ(accel_qmodel_unref(q_), nullptr);

  accel_bo *bo = nullptr;
  ASSERT_EQ(accel_bo_new(dev_, 64, 0, &bo), 0);
  EXPECT_EQ(accel_bo_ref(bo), bo);
  EXPECT_EQ(accel_bo_unref(bo), nullptr);
  EXPECT_NE(accel_bo_map(bo), nullptr) << "one reference left";
  EXPECT_EQ(accel_bo_unref(bo), nullptr);

  accel_fence *f = nullptr;
  ASSERT_EQ(accel_fence_new(dev_, &f), 0);
  EXPECT_EQ(accel_fence_ref(f), f);
  accel_fence_unref(f);
  EXPECT_EQ(accel_fence_wait(f, 1), -ETIME);
  accel_fence_unref(f);

  accel_plan *p = nullptr;
  ASSERT_EQ(accel_plan_new(q_, dev_, nullptr, &p), 0);
  EXPECT_EQ(accel_plan_ref(p), p);
  accel_plan_unref(p);
  accel_session *s = nullptr;
  ASSERT_EQ(accel_session_new(dev_, q_, p, nullptr, &s), 0);
  accel_plan_unref(p);  // the session holds its own reference
  EXPECT_EQ(accel_session_ref(s), s);
  accel_session_unref(s);
  std::vector<float> in(784, 0.5f);
  std::vector<int16_t> codes(10);
  EXPECT_EQ(accel_session_run(s, in.data(), 1, codes.data(), nullptr), 0);
  accel_session_unref(s);

  accel_quant_opts *qo = nullptr;
  ASSERT_EQ(accel_quant_opts_new(ctx_, &qo), 0);
  EXPECT_EQ(accel_quant_opts_ref(qo), qo);
  accel_quant_opts_unref(qo);
  EXPECT_EQ(accel_quant_opts_set_bits(qo, 8, 8), 0);
  accel_quant_opts_unref(qo);

  accel_session_opts *so = nullptr;
  ASSERT_EQ(accel_session_opts_new(ctx_, &so), 0);
  EXPECT_EQ(accel_session_opts_ref(so), so);
  accel_session_opts_unref(so);
  accel_session_opts_unref(so);

  // Every unref takes NULL.
  EXPECT_EQ(accel_ctx_unref(nullptr), nullptr);
  EXPECT_EQ(accel_dataset_unref(nullptr), nullptr);
  EXPECT_EQ(accel_model_unref(nullptr), nullptr);
  EXPECT_EQ(accel_quant_opts_unref(nullptr), nullptr);
  EXPECT_EQ(accel_qmodel_unref(nullptr), nullptr);
  EXPECT_EQ(accel_device_unref(nullptr), nullptr);
  EXPECT_EQ(accel_bo_unref(nullptr), nullptr);
  EXPECT_EQ(accel_fence_unref(nullptr), nullptr);
  EXPECT_EQ(accel_plan_opts_unref(nullptr), nullptr);
  EXPECT_EQ(accel_plan_unref(nullptr), nullptr);
  EXPECT_EQ(accel_session_opts_unref(nullptr), nullptr);
  EXPECT_EQ(accel_session_unref(nullptr), nullptr);
  EXPECT_EQ(accel_lib_unref(nullptr), nullptr);
}

TEST_F(CApiAbi, ArgumentPadMustBeZero) {
  accel_bo *bo = nullptr;
  ASSERT_EQ(accel_bo_new(dev_, 64, 0, &bo), 0);
  const accel_arg args[2] = {{bo, 0, 8, DRM_ZACCEL_ARG_READ, 0},
                             {bo, 8, 8, DRM_ZACCEL_ARG_WRITE, 1}};
  const uint32_t regs[1] = {1};
  EXPECT_EQ(accel_device_submit(dev_, 0, 0, args, 2, regs, 1, nullptr, 0, nullptr), -EINVAL);
  EXPECT_TRUE(log_.said("pad"));
  accel_bo_unref(bo);
}

}  // namespace
