// Activations in an IP's output stage (emulator/kernels/activation.h): the tables, the
// requantization that reads them, Clip, the identity's activation field, and their fusion by
// the quantizer into the conv or fc before them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "act_nodes.h"
#include "ips/ip.h"
#include "kernels/fixed.h"
#include "model/fixed_exec.h"
#include "model/float_exec.h"
#include "model/quantize.h"
#include "util/error.h"

namespace zaccel {
namespace {

using kernels::Act;

TEST(Activation, Tables) {
  for (Act a : {Act::kTanh, Act::kSigmoid}) {
    const int16_t *t = kernels::act_table(a);
    for (unsigned i = 0; i < kernels::kActEntries; ++i) {
      const double x = (static_cast<int>(i) - 2048) / 256.0;
      const double want = std::min(32767.0, std::floor(kernels::act_function(a, x) * 32768 + 0.5));
      ASSERT_EQ(t[i], want) << "entry " << i;
      if (i) {
        ASSERT_GE(t[i], t[i - 1]) << "monotonic";
      }
    }
  }
  // Fixed points of the definition (these do not depend on the C library's rounding).
  EXPECT_EQ(kernels::act_table(Act::kTanh)[2048], 0);
  EXPECT_EQ(kernels::act_table(Act::kSigmoid)[2048], 16384);
  EXPECT_EQ(kernels::act_table(Act::kTanh)[4095], 32767);
  EXPECT_EQ(kernels::act_table(Act::kTanh)[0], -32768);
  // A checksum of both tables: the unit suite runs on armhf too, so a libm that rounds one
  // entry differently fails here rather than as a mismatch between backends.
  int64_t sum = 0;
  for (Act a : {Act::kTanh, Act::kSigmoid})
    for (unsigned i = 0; i < kernels::kActEntries; ++i)
      sum += int64_t{kernels::act_table(a)[i]} * (i + 1);
  EXPECT_EQ(sum, int64_t{338242643208});
}

TEST(Activation, RequantizeThroughTable) {
  kernels::Requant rq = kernels::with_table({4, 16, false, Act::kTanh});
  // acc 1.0 at 12 fractional bits -> index 256 past the middle -> tanh(1).
  EXPECT_EQ(kernels::requantize(1 << 12, rq), kernels::act_table(Act::kTanh)[2048 + 256]);
  EXPECT_NEAR(kernels::requantize(1 << 12, rq) / 32768.0, std::tanh(1.0), 1.0 / 32768);
  // Beyond [-8, 8) the index saturates.
  EXPECT_EQ(kernels::requantize(int64_t{1} << 40, rq), 32767);
  EXPECT_EQ(kernels::requantize(-(int64_t{1} << 40), rq), -32768);
  // 8 output bits: the table value rounded half up to 7 fractional bits.
  rq.bits = 8;
  const int16_t t = kernels::act_table(Act::kTanh)[2048 + 256];
  EXPECT_EQ(kernels::requantize(1 << 12, rq), (t + 128) >> 8);
}

TEST(Activation, Clip) {
  kernels::Requant rq{0, 16, false, Act::kClip, 0, 96};
  EXPECT_EQ(kernels::requantize(-5, rq), 0);
  EXPECT_EQ(kernels::requantize(50, rq), 50);
  EXPECT_EQ(kernels::requantize(500, rq), 96);
}

TEST(Activation, Leaky) {
  kernels::Requant rq{2, 8};
  rq.act = Act::kLeaky;
  rq.slope = 1 << 14;                               // 0.5
  EXPECT_EQ(kernels::requantize(40, rq), 10);       // positive: 40 / 4
  EXPECT_EQ(kernels::requantize(-40, rq), -5);      // -40 * 0.5 / 4
  EXPECT_EQ(kernels::requantize(-6, rq), -1);       // -0.75 rounds half up to -1 (not -0.5)
  EXPECT_EQ(kernels::requantize(-2, rq), 0);        // -0.25 rounds to 0
  EXPECT_EQ(kernels::requantize(-4000, rq), -128);  // saturates
  rq.slope = 0;
  EXPECT_EQ(kernels::requantize(-40, rq), 0);
}

drm_zaccel_ip_id fc_id(uint32_t flags) {
  drm_zaccel_ip_id id{};
  id.magic = ZACCEL_IP_MAGIC;
  id.kind = DRM_ZACCEL_IP_FC;
  id.in_c = 4;
  id.out_c = 2;
  id.in_h = id.in_w = id.out_h = id.out_w = 1;
  id.bits = 16 << 16 | 16 << 8 | 16;
  id.weight_mode = DRM_ZACCEL_WEIGHTS_EMBEDDED;
  id.lanes = 2;
  id.flags = flags;
  return id;
}

TEST(Activation, IdentityField) {
  for (uint32_t a = DRM_ZACCEL_ACT_CLIP; a <= DRM_ZACCEL_ACT_MAX; ++a) {
    EXPECT_NO_THROW(emu::check_ip_id(fc_id(DRM_ZACCEL_IP_ACT(a))));
    EXPECT_THROW(emu::check_ip_id(fc_id(DRM_ZACCEL_IP_ACT(a) | DRM_ZACCEL_IP_RELU)), Error);
    EXPECT_THROW(emu::check_ip_id(fc_id(DRM_ZACCEL_IP_ACT(a) | DRM_ZACCEL_IP_ACC_OUT)), Error);
  }
  EXPECT_THROW(emu::check_ip_id(fc_id(DRM_ZACCEL_IP_ACT(DRM_ZACCEL_ACT_MAX + 1))), Error);
}

using test::act_node;
using test::small_fc;

const std::vector<float> kCalib = {0.5f, -0.25f, 1, 1, -3, 2};

TEST(Activation, FusedIntoTheLayerBefore) {
  const Graph g = make_chain({2, 1, 1}, {small_fc("fc1"), act_node(LayerKind::kTanh)});
  const QModel q = quantize(g, {}, 3, kCalib.data());
  ASSERT_EQ(q.layers.size(), 1u);
  EXPECT_EQ(q.layers[0].fc.rq.act, Act::kTanh);
  EXPECT_EQ(q.layers[0].afrac, 15);
  EXPECT_EQ(q.layers[0].fc.rq.shift, q.layers[0].wfrac + q.in_frac - kernels::kActInFrac);
  const std::vector<int16_t> in = quantize_input(q, 3, kCalib.data());
  const std::vector<int16_t> out = run_fixed(q, 3, in.data());
  const std::vector<float> ref = run_float(g, 3, kCalib.data());
  for (size_t i = 0; i < out.size(); ++i)
    EXPECT_NEAR(std::ldexp(out[i], -15), ref[i], 3e-3) << i;  // a 1/256 input step

  const Graph clip = make_chain({2, 1, 1}, {small_fc("fc1"), act_node(LayerKind::kClip, 0, 1)});
  const QModel qc = quantize(clip, {}, 3, kCalib.data());
  EXPECT_EQ(qc.layers[0].fc.rq.act, Act::kClip);
  EXPECT_EQ(qc.layers[0].fc.rq.lo, 0);
  EXPECT_EQ(qc.layers[0].fc.rq.hi, 1 << qc.layers[0].afrac);
}

TEST(Activation, LeakyFused) {
  const Graph g = make_chain({2, 1, 1}, {small_fc("fc1"), act_node(LayerKind::kLeakyRelu, 0.1f)});
  const QModel q = quantize(g, {}, 3, kCalib.data());
  ASSERT_EQ(q.layers.size(), 1u);
  EXPECT_EQ(q.layers[0].fc.rq.act, Act::kLeaky);
  EXPECT_EQ(q.layers[0].fc.rq.slope, 3277);  // round(0.1 * 2^15)
  const std::vector<int16_t> out = run_fixed(q, 3, quantize_input(q, 3, kCalib.data()).data());
  const std::vector<float> ref = run_float(g, 3, kCalib.data());
  for (size_t i = 0; i < out.size(); ++i)
    EXPECT_NEAR(std::ldexp(out[i], -q.layers[0].afrac), ref[i], 1e-3) << i;
  const Graph steep =
      make_chain({2, 1, 1}, {small_fc("fc1"), act_node(LayerKind::kLeakyRelu, 1.5f)});
  try {
    quantize(steep, {}, 3, kCalib.data());
    ADD_FAILURE() << "no error";
  } catch (const Error &e) {
    EXPECT_EQ(e.err(), EOPNOTSUPP);
    EXPECT_THAT(e.what(), ::testing::HasSubstr("alpha in [0, 1)"));
  }
}

// A PRelu of one slope is the LeakyRelu it equals; one of a slope per channel (uapi
// DRM_ZACCEL_ACT_PRELU) carries each slope in its channel's bias word.
TEST(Activation, PReluOfOneSlopeOrOnePerChannel) {
  const auto prelu = [](std::vector<float> slope) {
    Graph g = make_chain({2, 1, 1}, {small_fc("fc1"), act_node(LayerKind::kPRelu)});
    const ValueId s = g.add_value({"slope", {static_cast<int64_t>(slope.size())}, true, slope});
    g.nodes[1].inputs.push_back(s);
    return g;
  };
  const auto follows_float = [](const Graph &g, const QModel &q) {
    const std::vector<int16_t> out = run_fixed(q, 3, quantize_input(q, 3, kCalib.data()).data());
    const std::vector<float> ref = run_float(g, 3, kCalib.data());
    for (size_t i = 0; i < out.size(); ++i)
      EXPECT_NEAR(std::ldexp(out[i], -q.layers[0].afrac), ref[i], 1e-3) << i;
  };
  const Graph g = prelu({0.25f});
  const QModel q = quantize(g, {}, 3, kCalib.data());
  ASSERT_EQ(q.layers.size(), 1u);
  EXPECT_EQ(q.layers[0].fc.rq.act, Act::kLeaky);
  EXPECT_EQ(q.layers[0].fc.rq.slope, 8192);  // 0.25 * 2^15
  follows_float(g, q);
  const Graph per_channel = prelu({0.25f, 0.5f});
  const QModel qc = quantize(per_channel, {}, 3, kCalib.data());
  EXPECT_EQ(qc.layers[0].fc.rq.act, Act::kPRelu);
  EXPECT_EQ(kernels::prelu_slope(qc.layers[0].bias[0]), 8192);
  EXPECT_EQ(kernels::prelu_slope(qc.layers[0].bias[1]), 16384);
  EXPECT_EQ(kernels::prelu_bias(qc.layers[0].bias[0]), q.layers[0].bias[0]) << "the same bias";
  follows_float(per_channel, qc);
  try {
    quantize(prelu({0.25f, 1.5f}), {}, 3, kCalib.data());
    ADD_FAILURE() << "no error";
  } catch (const Error &e) {
    EXPECT_EQ(e.err(), EOPNOTSUPP);
    EXPECT_THAT(e.what(), ::testing::HasSubstr("node 'act' (prelu)"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("PRelu slopes in [0, 1)"));
  }
}

TEST(Activation, PReluBiasWords) {
  for (int64_t bias : {int64_t{0}, int64_t{-1}, int64_t{5} << 40, -(int64_t{1} << 47)}) {
    const int64_t word = kernels::prelu_word(bias, 32767);
    EXPECT_EQ(kernels::prelu_bias(word), bias);
    EXPECT_EQ(kernels::prelu_slope(word), 32767);
  }
  EXPECT_EQ(kernels::prelu_slope(INT64_MIN), 0) << "bit 63 is ignored";
}

TEST(Activation, OnlyAfterConvOrFc) {
  Node relu;
  relu.kind = LayerKind::kRelu;
  relu.name = "relu1";
  relu.in = relu.out = {2, 1, 1};
  for (const Graph &g :
       {make_chain({2, 1, 1}, {act_node(LayerKind::kSigmoid)}),
        make_chain({2, 1, 1}, {small_fc("fc1"), relu, act_node(LayerKind::kSigmoid)}),
        make_chain({2, 1, 1},
                   {small_fc("fc1"), act_node(LayerKind::kTanh), act_node(LayerKind::kSigmoid)})}) {
    try {
      quantize(g, {}, 3, kCalib.data());
      ADD_FAILURE() << "no error";
    } catch (const Error &e) {
      EXPECT_EQ(e.err(), EOPNOTSUPP);
      EXPECT_THAT(e.what(), ::testing::HasSubstr("node 'act' ("));
      EXPECT_THAT(e.what(), ::testing::HasSubstr(
                                "fuses this activation only into a conv or fc layer right before"));
    }
  }
}

}  // namespace
}  // namespace zaccel
