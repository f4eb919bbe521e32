// A final Softmax or LogSoftmax runs on the host, in float, after the device: the codes are
// the last IP layer's, and the outputs are those codes dequantized and put through it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "model/fixed_exec.h"
#include "model/quantize.h"
#include "util/error.h"

namespace zaccel {
namespace {

Node fc3() {
  Node fc;
  fc.kind = LayerKind::kFc;
  fc.name = "fc1";
  fc.in = fc.out = {3, 1, 1};
  fc.weights = {1, 0, 0, 0, 2, 0, 0, 0, -1};
  fc.bias = {0, 0.25f, 0};
  return fc;
}

Node softmax(LayerKind kind, int64_t axis) {
  Node s;
  s.kind = kind;
  s.name = s.node = "sm";
  s.op = kind == LayerKind::kSoftmax ? "Softmax" : "LogSoftmax";
  s.axis = axis;
  s.in = s.out = {3, 1, 1};
  return s;
}

const std::vector<float> kCalib = {0.5f, -0.25f, 1, 1, 0.5f, -0.5f};

TEST(HostOutput, SoftmaxAfterTheCodes) {
  const Graph g = make_chain({3, 1, 1}, {fc3(), softmax(LayerKind::kSoftmax, 1)});
  const QModel q = quantize(g, {}, 2, kCalib.data());
  ASSERT_EQ(q.layers.size(), 1u) << "the Softmax is no IP layer";
  EXPECT_EQ(q.host_output, LayerKind::kSoftmax);
  const std::vector<int16_t> in = quantize_input(q, 2, kCalib.data());
  const std::vector<int16_t> codes = run_fixed(q, 2, in.data());
  std::vector<float> out(6);
  dequantize_output(q, 2, codes.data(), out.data());
  for (size_t i = 0; i < 2; ++i) {
    const float *row = out.data() + 3 * i;
    EXPECT_NEAR(std::accumulate(row, row + 3, 0.0), 1.0, 1e-6);
    // Each output is the softmax of the dequantized codes.
    double sum = 0;
    for (size_t k = 0; k < 3; ++k)
      sum += std::exp(std::ldexp(codes[3 * i + k], -q.out_frac()));
    for (size_t k = 0; k < 3; ++k) {
      EXPECT_NEAR(row[k], std::exp(std::ldexp(codes[3 * i + k], -q.out_frac())) / sum, 1e-6);
    }
  }
}

TEST(HostOutput, LogSoftmax) {
  const Graph g = make_chain({3, 1, 1}, {fc3(), softmax(LayerKind::kLogSoftmax, 1)});
  const QModel q = quantize(g, {}, 2, kCalib.data());
  EXPECT_EQ(q.host_output, LayerKind::kLogSoftmax);
  const std::vector<int16_t> codes = {1 << 10, 0, -(1 << 10)};
  std::vector<float> out(3);
  dequantize_output(q, 1, codes.data(), out.data());
  double sum = 0;
  for (float v : out)
    sum += std::exp(v);
  EXPECT_NEAR(sum, 1.0, 1e-6);
  EXPECT_GT(out[0], out[1]);
  EXPECT_GT(out[1], out[2]);
}

void refused(const Graph &g, const char *what) {
  try {
    quantize(g, {}, 2, kCalib.data());
    ADD_FAILURE() << "no error";
  } catch (const Error &e) {
    EXPECT_EQ(e.err(), EOPNOTSUPP);
    EXPECT_THAT(e.what(), ::testing::HasSubstr(what));
  }
}

TEST(HostOutput, OnlyLastAndOverEachImage) {
  Node fc2 = fc3();
  fc2.name = "fc2";
  refused(make_chain({3, 1, 1}, {fc3(), softmax(LayerKind::kSoftmax, 1), fc2}),
          "node 'sm' (Softmax): the fixed-point path runs a Softmax or LogSoftmax only as the "
          "last node, on the host");
  // Over the width of a [N, c, h, w] tensor: not each image's outputs.
  Node conv;
  conv.kind = LayerKind::kConv;
  conv.name = "conv1";
  conv.in = conv.out = {1, 2, 2};
  conv.win = {1, 1, 1, 1, 0, 0, 0, 0};
  conv.weights = {1};
  Node sm = softmax(LayerKind::kSoftmax, 3);
  sm.in = sm.out = conv.out;
  refused(make_chain({1, 2, 2}, {conv, sm}),
          "node 'sm' (Softmax): the fixed-point path does not support this operator");
}

}  // namespace
}  // namespace zaccel
