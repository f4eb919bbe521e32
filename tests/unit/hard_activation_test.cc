// HardSigmoid and HardSwish in an IP's output stage (emulator/kernels/activation.h): their
// fixed-point definitions against the float functions over every input, their fusion by the
// quantizer into the fc before them, what it refuses, and the emulated device computing the
// reference's codes in every weight mode.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "act_nodes.h"
#include "dag_nodes.h"
#include "kernels/fixed.h"
#include "model/fuse.h"
#include "util/error.h"

namespace zaccel {
namespace {

using kernels::Act;

double hard_sigmoid(double x, double a, double b) {
  return std::clamp(a * x + b, 0.0, 1.0);
}
double hard_swish(double x) {
  return x * hard_sigmoid(x, 1.0 / 6, 0.5);
}

// Every 12-bit input: a and b are Q0.15, so the error is at most |x| * 2^-16 for a, 2^-16 for
// b and the last rounding's 2^-16: below 6 * 2^-15 over [-8, 8).
TEST(HardActivation, SigmoidFollowsItsFunction) {
  for (const auto &[a, b] : {std::pair{1.0 / 6, 0.5}, std::pair{0.2, 0.5}, std::pair{0.5, -0.25}}) {
    kernels::Requant rq{0, 16};
    rq.act = Act::kHardSigmoid;
    rq.slope = static_cast<uint16_t>(std::floor(a * 32768 + 0.5));
    rq.offset = static_cast<int16_t>(std::floor(b * 32768 + 0.5));
    for (int32_t x = -2048; x < 2048; ++x) {
      const int16_t y = kernels::requantize(x, rq);  // shift 0: x has 8 fractional bits
      ASSERT_NEAR(y / 32768.0, hard_sigmoid(x / 256.0, a, b), 6.0 / 32768) << x;
      ASSERT_GE(y, 0);
    }
    // The input saturates at [-8, 8), where the clamp has long been reached.
    EXPECT_EQ(kernels::requantize(int64_t{1} << 40, rq), 32767);
    EXPECT_EQ(kernels::requantize(-(int64_t{1} << 40), rq), 0);
  }
  // 8 output bits: the Q0.15 value rounded half up to 7 fractional bits; 1/2 at 0.
  kernels::Requant rq{0, 8};
  rq.act = Act::kHardSigmoid;
  rq.slope = 5461;
  rq.offset = 16384;
  EXPECT_EQ(kernels::requantize(0, rq), 64);
  EXPECT_EQ(kernels::requantize(3 * 256, rq), 127);  // 1.0 saturates to 127/128
}

// Every 16-bit v at 8 fractional bits: 1/6 is Q0.15 (5461), so h is within 2^-15 * (1 + |x|)
// and v * h within one output step more.
TEST(HardActivation, SwishFollowsItsFunction) {
  kernels::Requant rq{0, 16};
  rq.act = Act::kHardSwish;
  rq.frac = 8;
  for (int32_t v = -32768; v < 32768; ++v) {
    const double x = v / 256.0;
    const int16_t y = kernels::requantize(v, rq);
    ASSERT_NEAR(y / 256.0, hard_swish(x), (1 + std::min(std::abs(x), 3.0) * 3) / 256) << v;
    if (x >= 3.001) {
      ASSERT_EQ(y, v) << "the identity above 3";
    }
    if (x <= -3.001) {
      ASSERT_EQ(y, 0) << "zero below -3";
    }
  }
  rq.frac = -2;  // a step of 4: h(v) still comes from v's value, not its code
  EXPECT_EQ(kernels::requantize(-1, rq), 0);  // -4 is below -3
  EXPECT_EQ(kernels::requantize(1, rq), 1);   // 4 is above 3
}

using test::act_node;
using test::small_fc;

const std::vector<float> kCalib = {0.5f, -0.25f, 1, 1, -3, 2, 4, -1};

TEST(HardActivation, SigmoidFusedIntoTheFc) {
  const Graph g =
      make_chain({2, 1, 1}, {small_fc("fc1"), act_node(LayerKind::kHardSigmoid, 0.2f, 0.5f)});
  const QModel q = quantize(g, {}, 4, kCalib.data());
  ASSERT_EQ(q.layers.size(), 1u);
  const kernels::Requant &rq = q.layers[0].fc.rq;
  EXPECT_EQ(rq.act, Act::kHardSigmoid);
  EXPECT_EQ(rq.slope, 6554);  // round(0.2 * 2^15)
  EXPECT_EQ(rq.offset, 16384);
  EXPECT_EQ(q.layers[0].afrac, 15);
  EXPECT_EQ(rq.shift, q.layers[0].wfrac + q.in_frac - kernels::kActInFrac);
  const std::vector<int16_t> out = run_fixed(q, 4, quantize_input(q, 4, kCalib.data()).data());
  const std::vector<float> ref = run_float(g, 4, kCalib.data());
  for (size_t i = 0; i < out.size(); ++i)
    EXPECT_NEAR(std::ldexp(out[i], -15), ref[i], 2e-3) << i;  // a 1/256 input step
}

TEST(HardActivation, SwishFusedIntoTheFc) {
  const Graph g = make_chain({2, 1, 1}, {small_fc("fc1"), act_node(LayerKind::kHardSwish)});
  const QModel q = quantize(g, {}, 4, kCalib.data());
  ASSERT_EQ(q.layers.size(), 1u);
  const kernels::Requant &rq = q.layers[0].fc.rq;
  EXPECT_EQ(rq.act, Act::kHardSwish);
  EXPECT_LE(q.layers[0].afrac, 13) << "the range reaches -3";
  EXPECT_EQ(rq.frac, q.layers[0].afrac);
  const std::vector<int16_t> out = run_fixed(q, 4, quantize_input(q, 4, kCalib.data()).data());
  const std::vector<float> ref = run_float(g, 4, kCalib.data());
  for (size_t i = 0; i < out.size(); ++i)
    EXPECT_NEAR(std::ldexp(out[i], -q.layers[0].afrac), ref[i], 2e-3) << i;
}

TEST(HardActivation, SigmoidWhoseClampIsBeyondTheTableInputIsRefused) {
  const Graph g =
      make_chain({2, 1, 1}, {small_fc("fc1"), act_node(LayerKind::kHardSigmoid, 0.05f, 0.5f)});
  try {
    quantize(g, {}, 4, kCalib.data());
    ADD_FAILURE() << "no error";
  } catch (const Error &e) {
    EXPECT_EQ(e.err(), EOPNOTSUPP);
    EXPECT_THAT(e.what(), ::testing::HasSubstr("node 'act' (hardsigmoid)"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("clamp points within [-8, 8)"));
  }
}

// x * HardSigmoid(x), as exports before opset 14 write nn.Hardswish, is one HardSwish; with
// another alpha it stays a HardSigmoid and a Mul, which the fixed-point path refuses, naming
// the first.
TEST(HardActivation, MulOfItsHardSigmoidIsAHardSwish) {
  for (const float alpha : {1.0f / 6, 0.2f}) {
    std::mt19937 rng(3);
    const Dims io{4, 6, 6};
    const std::vector<int64_t> spatial = {kBatch, 4, 6, 6};
    Graph g;
    const ValueId x = g.add_value({"x", spatial, false, {}});
    const ValueId c = g.add_value({"c", spatial, false, {}});
    const ValueId h = g.add_value({"h", spatial, false, {}});
    const ValueId m = g.add_value({"m", spatial, false, {}});
    const ValueId y = g.add_value({"y", {kBatch, 10}, false, {}});
    g.inputs = {x};
    g.outputs = {y};
    g.nodes.push_back(test::conv_node("conv", io, 3, false, 0.4f, rng, x, c));
    Node hs = test::node(LayerKind::kHardSigmoid, "hs", "HardSigmoid", io, io, {c}, h);
    hs.alpha = alpha;
    hs.beta = 0.5f;
    g.nodes.push_back(hs);
    g.nodes.push_back(test::node(LayerKind::kMul, "mul", "Mul", io, io, {h, c}, m));
    g.nodes.push_back(test::fc_node("fc", io, 10, rng, m, y));
    const std::vector<float> images = test::uniform_images(4, io.size(), rng);
    const std::vector<float> before = run_float(g, 4, images.data());
    fuse_layers(g);
    const std::vector<float> after = run_float(g, 4, images.data());
    ASSERT_EQ(after.size(), before.size());
    for (size_t i = 0; i < after.size(); ++i)
      EXPECT_NEAR(after[i], before[i], 1e-5) << i;  // v / 6 against v * float(1/6)
    if (alpha != 0.2f) {
      ASSERT_EQ(g.nodes.size(), 3u);
      EXPECT_EQ(g.nodes[1].kind, LayerKind::kHardSwish);
      EXPECT_EQ(g.nodes[1].inputs, std::vector<ValueId>{c});
      EXPECT_EQ(quantize(g, {}, 4, images.data()).layers.size(), 2u);
      continue;
    }
    ASSERT_EQ(g.nodes.size(), 4u);
    EXPECT_EQ(g.nodes[2].kind, LayerKind::kMul);
    try {
      quantize(g, {}, 4, images.data());
      ADD_FAILURE() << "no error";
    } catch (const Error &e) {
      EXPECT_EQ(e.err(), EOPNOTSUPP);
      EXPECT_THAT(e.what(), ::testing::HasSubstr("node 'hs' (HardSigmoid)"));
    }
  }
}

// A conv with each hard activation, then an fc: the emulated device gives the fixed-point
// reference's codes in every weight mode.
TEST(HardActivation, DeviceMatchesInEveryMode) {
  std::mt19937 rng(7);
  for (LayerKind kind : {LayerKind::kHardSigmoid, LayerKind::kHardSwish}) {
    const Dims io{4, 6, 6};
    Graph g;
    const std::vector<int64_t> spatial = {kBatch, 4, 6, 6};
    const ValueId x = g.add_value({"x", spatial, false, {}});
    const ValueId c = g.add_value({"c", spatial, false, {}});
    const ValueId a = g.add_value({"a", spatial, false, {}});
    const ValueId y = g.add_value({"y", {kBatch, 10}, false, {}});
    g.inputs = {x};
    g.outputs = {y};
    g.nodes.push_back(test::conv_node("conv1", io, 3, false, 0.4f, rng, x, c));
    Node h = test::node(kind, "act1", layer_kind_name(kind), io, io, {c}, a);
    h.alpha = 1.0f / 6;
    h.beta = 0.5f;
    g.nodes.push_back(h);
    g.nodes.push_back(test::fc_node("fc1", io, 10, rng, a, y));
    const size_t n = 12;
    const std::vector<float> images = test::uniform_images(n, io.size(), rng);
    const QModel q = quantize(g, {}, n, images.data());
    ASSERT_EQ(q.layers.size(), 2u) << "the activation fuses into conv1";
    test::expect_follows_float(g, q, n, images.data(), 0.05);
    test::expect_every_mode(q, {}, n, images.data(), [](const Plan &) {});
  }
}

}  // namespace
}  // namespace zaccel
