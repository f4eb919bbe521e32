// The quantizer: scale choice, rounding, errors, and accuracy against float on a subset.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <limits>

#include "data/idx.h"
#include "model/fixed_exec.h"
#include "model/float_exec.h"
#include "model/onnx_import.h"
#include "model/quantize.h"
#include "util/error.h"

namespace zaccel {
namespace {

TEST(Quantize, ChooseFrac) {
  EXPECT_EQ(choose_frac(1.0, 16), 14);   // 1.0 * 2^15 = 32768 > 32767
  EXPECT_EQ(choose_frac(0.99, 16), 15);  // round(0.99 * 32768) = 32440
  EXPECT_EQ(choose_frac(0.5, 8), 7);     // 0.5 * 128 = 64
  EXPECT_EQ(choose_frac(100.0, 8), 0);   // 100 fits 127, 200 does not
  EXPECT_EQ(choose_frac(300.0, 8), -2);  // 300 / 4 = 75
  EXPECT_EQ(choose_frac(0.0, 8), 7);
  // round(x * 2^f) must fit even when x * 2^f rounds up to 2^(bits-1).
  EXPECT_EQ(choose_frac(127.6 / 128.0, 8), 6);
}

TEST(Quantize, ValueRoundsHalfUpAndSaturates) {
  EXPECT_EQ(quantize_value(0.75, 1, 8), 2);    // 1.5 -> 2
  EXPECT_EQ(quantize_value(-0.75, 1, 8), -1);  // -1.5 -> -1
  EXPECT_EQ(quantize_value(-0.76, 1, 8), -2);
  EXPECT_EQ(quantize_value(1000.0, 0, 8), 127);
  EXPECT_EQ(quantize_value(-1000.0, 0, 8), -128);
  EXPECT_EQ(quantize_value(1.0, 2, 2), 1);
  EXPECT_EQ(quantize_value(-9.0, 0, 2), -2);
}

// A Graph built in code, not imported: the quantizer refuses a weight or bias that is not
// finite itself, rather than converting a NaN to an integer.
TEST(Quantize, RefusesNonFiniteWeights) {
  Node fc;
  fc.kind = LayerKind::kFc;
  fc.name = "fc1";
  fc.in = fc.out = {3, 1, 1};
  fc.weights = {1, 0, 0, 0, 1, 0, 0, 0, 1};
  fc.bias = {0, std::numeric_limits<float>::quiet_NaN(), 1};
  Graph g = make_chain({3, 1, 1}, {fc});
  const std::vector<float> calib = {0.5f, -0.25f, 1};
  const auto refused = [&](const char *what) {
    try {
      quantize(g, {}, 1, calib.data());
      ADD_FAILURE() << "no error";
    } catch (const Error &e) {
      EXPECT_EQ(e.err(), EINVAL);
      EXPECT_THAT(e.what(), ::testing::HasSubstr(what));
    }
  };
  refused("layer fc1: bias 1 is nan");
  g.nodes[0].bias[1] = 0;
  g.nodes[0].weights[8] = -std::numeric_limits<float>::infinity();
  refused("layer fc1: weight 8 is -inf");
}

class QuantizeLeNet : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::filesystem::exists(ZACCEL_DATA_DIR)) return;
    graph_ = new Graph(import_onnx_file(ZACCEL_MODEL_DIR "/model.onnx"));
    const Dataset train = load_dataset_dir(ZACCEL_DATA_DIR, "train");
    test_ = new Dataset(load_dataset_dir(ZACCEL_DATA_DIR, "t10k"));
    calib_.resize(200 * 784);
    for (size_t i = 0; i < 200; ++i)
      for (size_t p = 0; p < 784; ++p)
        calib_[i * 784 + p] = train.images[i * 300 * 784 + p] / 255.0f;
  }
  static void TearDownTestSuite() {
    delete graph_;
    delete test_;
  }
  void SetUp() override {
    if (!graph_) GTEST_SKIP() << "no " << ZACCEL_DATA_DIR;
  }
  static QModel quant(const QuantOptions &o) { return quantize(*graph_, o, 200, calib_.data()); }
  static double accuracy_fixed(const QModel &q, size_t n) {
    const auto in = input(n);
    const auto codes = run_fixed(q, n, quantize_input(q, n, in.data()).data());
    return hits(codes, n);
  }
  static double accuracy_float(size_t n) {
    const auto in = input(n);
    return hits(run_float(*graph_, n, in.data()), n);
  }
  static std::vector<float> input(size_t n) {
    std::vector<float> in(n * 784);
    for (size_t i = 0; i < in.size(); ++i)
      in[i] = test_->images[i] / 255.0f;
    return in;
  }
  template <typename T>
  static double hits(const std::vector<T> &out, size_t n) {
    size_t ok = 0;
    for (size_t i = 0; i < n; ++i) {
      const auto row = out.begin() + static_cast<long>(i * 10);
      ok += static_cast<size_t>(std::max_element(row, row + 10) - row) == test_->labels[i];
    }
    return 100.0 * static_cast<double>(ok) / static_cast<double>(n);
  }

  static Graph *graph_;
  static Dataset *test_;
  static std::vector<float> calib_;
};
Graph *QuantizeLeNet::graph_ = nullptr;
Dataset *QuantizeLeNet::test_ = nullptr;
std::vector<float> QuantizeLeNet::calib_;

TEST_F(QuantizeLeNet, FormatsFollowTheChain) {
  const QModel q = quant({});
  ASSERT_EQ(q.layers.size(), 7u);
  EXPECT_EQ(q.in_frac, 14);  // pixels in [0, 1]
  int in_frac = q.in_frac;
  for (const QLayer &l : q.layers) {
    EXPECT_EQ(l.abits, 16u) << l.name;
    if (l.kind == LayerKind::kConv) {
      EXPECT_EQ(l.conv.rq.shift, l.wfrac + in_frac - l.afrac);
    } else if (l.kind == LayerKind::kFc) {
      EXPECT_EQ(l.fc.rq.shift, l.wfrac + in_frac - l.afrac);
    }
    in_frac = l.afrac;
  }
  EXPECT_EQ(q.layers[1].afrac, q.layers[0].afrac);  // pooling keeps its input's format
  EXPECT_TRUE(q.layers[0].conv.rq.relu);
  EXPECT_FALSE(q.layers[6].fc.rq.relu);
}

TEST_F(QuantizeLeNet, PerLayerBits) {
  QuantOptions o;
  o.per_layer["fc1"] = {4, 6};
  const QModel q = quant(o);
  EXPECT_EQ(q.layers[4].wbits, 4u);
  EXPECT_EQ(q.layers[4].abits, 6u);
  for (int16_t w : q.layers[4].weights) {
    EXPECT_GE(w, -8);
    EXPECT_LE(w, 7);
  }
  EXPECT_EQ(q.layers[5].wbits, 16u);
}

TEST_F(QuantizeLeNet, Errors) {
  QuantOptions o;
  o.per_layer["fc9"] = {8, 8};
  EXPECT_THROW(quant(o), Error);
  o.per_layer.clear();
  o.per_layer["pool1"] = {8, 8};
  EXPECT_THROW(quant(o), Error);
  o.per_layer.clear();
  o.defaults = {17, 16};
  EXPECT_THROW(quant(o), Error);
  o.defaults = {16, 1};
  EXPECT_THROW(quant(o), Error);
  EXPECT_THROW(quantize(*graph_, {}, 0, nullptr), Error);
}

TEST_F(QuantizeLeNet, AccuracyCloseToFloat) {
  const size_t n = 1000;
  const double fl = accuracy_float(n);
  EXPECT_NEAR(accuracy_fixed(quant({}), n), fl, 0.3);
  QuantOptions o8;
  o8.defaults = {8, 8};
  EXPECT_NEAR(accuracy_fixed(quant(o8), n), fl, 1.5);
}

TEST_F(QuantizeLeNet, AccumulatorBound) {
  // 16-bit weights and inputs over a fan-in of 400 need 39 bits: fine. Build a layer whose
  // fan-in makes 48 bits overflow.
  Node fc;
  fc.kind = LayerKind::kFc;
  fc.name = "fc1";
  fc.in = {1, 1, 1 << 18};
  fc.out = {1, 1, 1};
  fc.weights.assign(1 << 18, 0.25f);
  const Graph g = make_chain(fc.in, {fc});
  std::vector<float> calib(1 << 18, 0.5f);
  try {
    quantize(g, {}, 1, calib.data());
    FAIL() << "no error";
  } catch (const Error &e) {
    EXPECT_EQ(e.err(), EINVAL);
    EXPECT_THAT(e.what(), ::testing::HasSubstr("48-bit accumulator"));
  }
}

}  // namespace
}  // namespace zaccel
