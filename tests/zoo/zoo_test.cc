// The model zoo (tools/models/zoo, written by tools/train/zoo.py): PyTorch-exported nets in the
// idioms users write. Each imports; its float logits are PyTorch's within 1e-4; and, for the
// nets the fixed-point path takes, 16-bit fixed point is within 0.5 points of float on the
// 10,000 test images and the emulated device gives the reference path's codes. A net the
// fixed-point path does not take yet must be refused with EOPNOTSUPP naming its first node
// that it cannot compute, as listed here; supporting it makes this test fail until the list
// says so.
#include <accel/accel.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

struct Net {
  const char *name;
  const char *refused_at;  ///< the node the fixed-point path refuses, or null if it runs it
};

const Net kNets[] = {
    {"softmax", nullptr},        {"view_flatten", nullptr},     {"bn1d", nullptr},
    {"lenet5_tanh", nullptr},    {"avgpool_pad", nullptr},      {"residual", nullptr},
    {"dwsep_bn_relu6", nullptr}, {"concat", nullptr},           {"leaky_ceil_bn", nullptr},
    {"hard_act", nullptr},       {"hard_act_opset13", nullptr}, {"qdq_lenet5", nullptr},
};

void log_to(void *userdata, int, const char *msg) {
  *static_cast<std::string *>(userdata) += msg;
}

class Zoo : public ::testing::TestWithParam<Net> {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(ZACCEL_DATA_DIR)) GTEST_SKIP() << "no " << ZACCEL_DATA_DIR;
    dir_ = std::string(ZACCEL_ZOO_DIR) + "/" + GetParam().name;
    ASSERT_EQ(accel_ctx_new(&ctx_), 0);
    accel_ctx_set_log_fn(ctx_, log_to, &log_);
    ASSERT_EQ(accel_model_open_onnx(ctx_, (dir_ + "/model.onnx").c_str(), &m_), 0) << log_;
    ASSERT_EQ(accel_dataset_open_dir(ctx_, ZACCEL_DATA_DIR, "t10k", &test_), 0) << log_;
    out_ = accel_model_output_size(m_);
    ASSERT_EQ(out_, 10);
    n_ = accel_dataset_count(test_);
    in_.resize(size_t{n_} * 784);
    ASSERT_EQ(accel_dataset_get_input(test_, 0, n_, in_.data()), 0);
  }
  void TearDown() override {
    accel_dataset_unref(test_);
    accel_model_unref(m_);
    accel_ctx_unref(ctx_);
  }
  // Test images [0, n) whose largest output is their label.
  uint32_t correct(const std::vector<float> &logits, uint32_t n) const {
    uint32_t c = 0;
    for (uint32_t i = 0; i < n; ++i) {
      const float *row = logits.data() + size_t{i} * out_;
      c += std::max_element(row, row + out_) - row == accel_dataset_label(test_, i);
    }
    return c;
  }

  std::string dir_, log_;
  accel_ctx *ctx_ = nullptr;
  accel_model *m_ = nullptr;
  accel_dataset *test_ = nullptr;
  int out_ = 0;
  uint32_t n_ = 0;
  std::vector<float> in_;
};

TEST_P(Zoo, FloatMatchesPyTorch) {
  std::ifstream f(dir_ + "/reference.json");
  const auto ref = nlohmann::json::parse(f);
  const auto &logits = ref.at("logits_first_100");
  ASSERT_EQ(logits.size(), 100u);
  std::vector<float> got(size_t{n_} * out_);
  ASSERT_EQ(accel_model_run_float(m_, in_.data(), n_, got.data()), 0) << log_;
  double worst = 0;
  for (size_t i = 0; i < 100; ++i)
    for (int k = 0; k < out_; ++k)
      worst = std::max(worst, std::fabs(got[i * out_ + k] - logits[i][k].get<double>()));
  EXPECT_LT(worst, 1e-4);
  // PyTorch's accuracy within one image: float summation order may flip a near tie.
  EXPECT_NEAR(correct(got, n_), ref.at("float_test_accuracy").get<double>() * n_, 1.0);
}

TEST_P(Zoo, FixedPointAndDevice) {
  accel_dataset *train = nullptr;
  ASSERT_EQ(accel_dataset_open_dir(ctx_, ZACCEL_DATA_DIR, "train", &train), 0);
  accel_quant_opts *o = nullptr;
  ASSERT_EQ(accel_quant_opts_new(ctx_, &o), 0);
  ASSERT_EQ(accel_quant_opts_set_calibration(o, train, 1000), 0);
  accel_qmodel *q = nullptr;
  const int err = accel_model_quantize(m_, o, &q);
  accel_quant_opts_unref(o);
  accel_dataset_unref(train);
  if (const char *node = GetParam().refused_at) {
    EXPECT_EQ(err, -EOPNOTSUPP);
    EXPECT_NE(log_.find(node), std::string::npos) << log_;
    return;
  }
  ASSERT_EQ(err, 0) << log_;

  std::vector<float> fl(size_t{n_} * out_), fx(size_t{n_} * out_);
  std::vector<int16_t> ref(size_t{n_} * out_);
  ASSERT_EQ(accel_model_run_float(m_, in_.data(), n_, fl.data()), 0);
  ASSERT_EQ(accel_qmodel_run(q, in_.data(), n_, ref.data(), fx.data()), 0);
  const double facc = 100.0 * correct(fl, n_) / n_, qacc = 100.0 * correct(fx, n_) / n_;
  RecordProperty("float_accuracy", std::to_string(facc));
  RecordProperty("fixed_accuracy", std::to_string(qacc));
  EXPECT_LE(std::fabs(qacc - facc), 0.5);

  // The emulated PYNQ-Z2 gives the same codes (the first 1,000 images: `bench-zoo` runs all).
  const uint32_t n = 1000;
  accel_device *dev = nullptr;
  ASSERT_EQ(accel_device_open(ctx_, "emu:pynq-z2", &dev), 0);
  accel_session *s = nullptr;
  ASSERT_EQ(accel_session_new(dev, q, nullptr, nullptr, &s), 0) << log_;
  std::vector<int16_t> got(size_t{n} * out_);
  ASSERT_EQ(accel_session_run(s, in_.data(), n, got.data(), nullptr), 0) << log_;
  EXPECT_TRUE(std::equal(got.begin(), got.end(), ref.begin()));
  accel_session_unref(s);
  accel_device_unref(dev);
  accel_qmodel_unref(q);
}

INSTANTIATE_TEST_SUITE_P(Nets, Zoo, ::testing::ValuesIn(kNets),
                         [](const auto &p) { return std::string(p.param.name); });

}  // namespace
