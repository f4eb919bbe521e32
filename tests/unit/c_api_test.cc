// The C API: argument checks with exact errnos, errors reported through the log callback,
// reference counting, and the fixed-point path giving the same codes through the API.
#include <accel/accel.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <filesystem>
#include <string>
#include <vector>

namespace {

struct Log {
  std::vector<std::string> lines;
  static void fn(void *self, int, const char *msg) {
    static_cast<Log *>(self)->lines.emplace_back(msg);
  }
};

class CApi : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(accel_ctx_new(&ctx_), 0);
    accel_ctx_set_log_fn(ctx_, Log::fn, &log_);
  }
  void TearDown() override { accel_ctx_unref(ctx_); }
  accel_ctx *ctx_ = nullptr;
  Log log_;
};

TEST_F(CApi, NullArguments) {
  EXPECT_EQ(accel_ctx_new(nullptr), -EINVAL);
  accel_model *m = nullptr;
  EXPECT_EQ(accel_model_open_onnx(nullptr, "x", &m), -EINVAL);
  EXPECT_EQ(accel_model_open_onnx(ctx_, nullptr, &m), -EINVAL);
  EXPECT_EQ(accel_model_num_layers(nullptr), -EINVAL);
  EXPECT_EQ(accel_model_layer_name(nullptr, 0), nullptr);
  EXPECT_EQ(accel_dataset_count(nullptr), 0u);
  EXPECT_EQ(accel_dataset_label(nullptr, 0), -EINVAL);
  EXPECT_EQ(accel_model_quantize(nullptr, nullptr, nullptr), -EINVAL);
  // Destructors accept NULL.
  EXPECT_EQ(accel_model_unref(nullptr), nullptr);
  EXPECT_EQ(accel_qmodel_unref(nullptr), nullptr);
  EXPECT_EQ(accel_dataset_unref(nullptr), nullptr);
  accel_quant_opts_unref(nullptr);
}

TEST_F(CApi, ErrorsGoToTheLog) {
  accel_model *m = nullptr;
  EXPECT_EQ(accel_model_open_onnx(ctx_, "/nonexistent/m.onnx", &m), -ENOENT);
  ASSERT_EQ(log_.lines.size(), 1u);
  EXPECT_NE(log_.lines[0].find("/nonexistent/m.onnx"), std::string::npos);
  accel_dataset *ds = nullptr;
  EXPECT_EQ(accel_dataset_open_dir(ctx_, "/nonexistent", "t10k", &ds), -ENOENT);
  EXPECT_EQ(accel_dataset_open_dir(ctx_, "/tmp", "valid", &ds), -EINVAL);
  EXPECT_EQ(log_.lines.size(), 3u);
}

TEST_F(CApi, QuantOptions) {
  accel_quant_opts *o = nullptr;
  ASSERT_EQ(accel_quant_opts_new(ctx_, &o), 0);
  EXPECT_EQ(accel_quant_opts_set_bits(o, 1, 8), -EINVAL);
  EXPECT_EQ(accel_quant_opts_set_bits(o, 8, 17), -EINVAL);
  EXPECT_EQ(accel_quant_opts_set_bits(o, 8, 8), 0);
  EXPECT_EQ(accel_quant_opts_set_layer_bits(o, nullptr, 8, 8), -EINVAL);
  EXPECT_EQ(accel_quant_opts_set_layer_bits(o, "nosuch", 8, 8), 0);  // checked at quantization
  EXPECT_EQ(accel_quant_opts_set_calibration(o, nullptr, 10), -EINVAL);
  accel_model *m = nullptr;
  ASSERT_EQ(accel_model_open_onnx(ctx_, ZACCEL_MODEL_DIR "/model.onnx", &m), 0);
  accel_qmodel *q = nullptr;
  EXPECT_EQ(accel_model_quantize(m, o, &q), -EINVAL);  // unknown layer
  EXPECT_NE(log_.lines.back().find("nosuch"), std::string::npos);
  accel_model_unref(m);
  accel_quant_opts_unref(o);
}

TEST_F(CApi, RunsLeNet) {
  if (!std::filesystem::exists(ZACCEL_DATA_DIR)) GTEST_SKIP() << "no " << ZACCEL_DATA_DIR;
  accel_model *m = nullptr;
  ASSERT_EQ(accel_model_open_onnx(ctx_, ZACCEL_MODEL_DIR "/model.onnx", &m), 0);
  ASSERT_EQ(accel_model_num_layers(m), 7);
  EXPECT_STREQ(accel_model_layer_name(m, 0), "conv1");
  EXPECT_STREQ(accel_model_layer_kind(m, 6), "fc");
  EXPECT_EQ(accel_model_layer_name(m, 7), nullptr);
  ASSERT_EQ(accel_model_output_size(m), 10);

  accel_dataset *train = nullptr, *test = nullptr;
  ASSERT_EQ(accel_dataset_open_dir(ctx_, ZACCEL_DATA_DIR, "train", &train), 0);
  ASSERT_EQ(accel_dataset_open_dir(ctx_, ZACCEL_DATA_DIR, "t10k", &test), 0);
  std::vector<float> in(8 * 784);
  EXPECT_EQ(accel_dataset_get_input(test, 9999, 2, in.data()), -EINVAL);
  ASSERT_EQ(accel_dataset_get_input(test, 0, 8, in.data()), 0);

  accel_quant_opts *o = nullptr;
  ASSERT_EQ(accel_quant_opts_new(ctx_, &o), 0);
  accel_qmodel *q = nullptr;
  EXPECT_EQ(accel_model_quantize(m, o, &q), -EINVAL);  // no calibration data
  EXPECT_EQ(accel_quant_opts_set_calibration(o, train, 60001), -EINVAL);
  ASSERT_EQ(accel_quant_opts_set_calibration(o, train, 100), 0);
  accel_dataset_unref(train);  // the options keep their own reference
  ASSERT_EQ(accel_model_quantize(m, o, &q), 0);
  accel_quant_opts_unref(o);

  unsigned wbits = 0, abits = 0;
  int wfrac = 0, afrac = 0;
  ASSERT_EQ(accel_qmodel_layer_format(q, 0, &wbits, &wfrac, &abits, &afrac), 0);
  EXPECT_EQ(wbits, 16u);
  EXPECT_EQ(accel_qmodel_layer_format(q, 7, &wbits, &wfrac, &abits, &afrac), -EINVAL);

  std::vector<int16_t> codes(80), codes1(10);
  std::vector<float> logits(80), flogits(80);
  ASSERT_EQ(accel_qmodel_run(q, in.data(), 8, codes.data(), logits.data()), 0);
  ASSERT_EQ(accel_model_run_float(m, in.data(), 8, flogits.data()), 0);
  // Batching never changes the integers; dequantized logits track float closely at 16 bits.
  ASSERT_EQ(accel_qmodel_run(q, in.data() + 784, 1, codes1.data(), nullptr), 0);
  EXPECT_TRUE(std::equal(codes1.begin(), codes1.end(), codes.begin() + 10));
  for (size_t i = 0; i < 80; ++i)
    EXPECT_NEAR(logits[i], flogits[i], 0.05) << i;

  accel_qmodel_unref(q);
  accel_model_unref(m);
  accel_dataset_unref(test);
}

}  // namespace
