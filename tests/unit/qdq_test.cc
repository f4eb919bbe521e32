// QuantizeLinear and DequantizeLinear: ONNX's arithmetic on the float path, folding on
// constant weights at import, the formats a QDQ pair pins on the fixed-point path, and the
// errors for what fixed point cannot hold exactly.
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <cerrno>
#include <vector>

#include "model/chain.h"
#include "model/float_exec.h"
#include "model/quantize.h"
#include "onnx_builder.h"

namespace zaccel {
namespace {

using test::Builder;
using test::expect_error;

constexpr int32_t kInt8 = onnx::TensorProto::INT8;
constexpr int32_t kUint8 = onnx::TensorProto::UINT8;

// A QuantizeLinear and a DequantizeLinear of scale `s` and zero point `zp` (of `type`), both
// reading the initializers "<name>_s" and "<name>_z".
void qdq(Builder &b, const std::string &name, float s, int32_t zp = 0, int32_t type = kInt8) {
  b.init_values(name + "_s", {}, {s});
  b.init_codes(name + "_z", {}, type, {zp});
  b.node("QuantizeLinear", {name + "_s", name + "_z"})->set_name(name + "_q");
  b.node("DequantizeLinear", {name + "_s", name + "_z"})->set_name(name + "_dq");
}

std::vector<float> run(const Graph &g, std::vector<int64_t> shape, std::vector<float> x) {
  std::vector<Tensor> in;
  in.push_back({std::move(shape), std::move(x)});
  return run_float(g, std::move(in)).at(0).data;
}

// x -> QDQ(2^-6) -> Flatten -> Gemm(weights fake-quantized at 2^-3) [-> ReLU] -> QDQ(out)
Builder small_fc(float out_scale, int32_t out_zp = 0, int32_t out_type = kInt8, bool relu = false) {
  Builder b(1, 1, 4);
  qdq(b, "in", 1.0f / 64);
  b.node("Flatten");
  b.init_values("w", {2, 4}, {0.3f, -0.2f, 0.1f, 0.5f, -0.45f, 0.25f, 0.0625f, 0.7f});
  b.init_values("w_s", {}, {0.125f});
  b.init_codes("w_z", {}, kInt8, {0});
  b.wire("QuantizeLinear", {"w", "w_s", "w_z"}, {"wq"});
  b.wire("DequantizeLinear", {"wq", "w_s", "w_z"}, {"wdq"});
  b.wire("Identity", {"t2"}, {"flat"});  // the chain goes on from the Flatten
  b.init_values("bias", {2}, {0.25f, -0.125f});
  Builder::int1(b.node("Gemm", {"wdq", "bias"}), "transB", 1);
  if (relu) b.node("Relu");
  qdq(b, "out", out_scale, out_zp, out_type);
  return b;
}

const std::vector<float> kCalib = {0.5f, -0.25f, 0.75f, 0.1f, -0.6f, 0.3f, 0.05f, 0.9f};

QModel quantize_16(const Graph &g) {
  return quantize(g, QuantOptions{}, 2, kCalib.data());
}

TEST(Qdq, FloatPathRoundsHalfToEvenAndSaturates) {
  Builder b(1, 1, 6);
  qdq(b, "a", 0.5f);
  const Graph g = b.import();
  // x / 0.5 = 0.5, 1.5, 2.5, 200, -200, -3.5: half to even 0, 2, 2, then saturated.
  EXPECT_EQ(run(g, {1, 1, 1, 6}, {0.25f, 0.75f, 1.25f, 100, -100, -1.75f}),
            (std::vector<float>{0, 1, 1, 63.5f, -64, -2}));
}

TEST(Qdq, UnsignedCodesAndZeroPoint) {
  Builder b(1, 1, 3);
  qdq(b, "a", 0.25f, 10, kUint8);
  const Graph g = b.import();
  // round(x / 0.25) + 10, clamped to 0..255, then (q - 10) * 0.25.
  EXPECT_EQ(run(g, {1, 1, 1, 3}, {-5, 1, 100}), (std::vector<float>{-2.5f, 1, 61.25f}));
}

TEST(Qdq, ScalesPerChannel) {
  Builder b(2, 1, 2);
  b.init_values("s", {2}, {0.5f, 0.25f});
  b.init_codes("z", {2}, kInt8, {0, 0});
  b.node("QuantizeLinear", {"s", "z"});
  b.node("DequantizeLinear", {"s", "z"});
  const Graph g = b.import();
  EXPECT_EQ(run(g, {1, 2, 1, 2}, {0.3f, 0.8f, 0.3f, 0.8f}),
            (std::vector<float>{0.5f, 1, 0.25f, 0.75f}));
}

TEST(Qdq, FakeQuantizedWeightsFoldAtImport) {
  const Graph g = small_fc(0.25f).import();
  const Node *fc = g.find("fc1");
  ASSERT_NE(fc, nullptr);
  // round-half-even(w * 8) / 8
  EXPECT_EQ(fc->weights, (std::vector<float>{0.25f, -0.25f, 0.125f, 0.5f, -0.5f, 0.25f, 0, 0.75f}));
  size_t pairs = 0;
  for (const Node &l : g.nodes)
    pairs += l.kind == LayerKind::kQuantize;
  EXPECT_EQ(pairs, 2u) << "the input's and the output's; the weights' folded";
}

TEST(Qdq, Int8WeightsDequantizeAtImport) {
  Builder b(1, 1, 2);
  b.node("Flatten");
  b.init_codes("wq", {1, 2}, kInt8, {-128, 5});
  b.init_values("w_s", {}, {0.5f});
  b.init_codes("w_z", {}, kInt8, {1});
  b.wire("DequantizeLinear", {"wq", "w_s", "w_z"}, {"w"});
  b.wire("Identity", {"t0"}, {"flat"});
  Builder::int1(b.node("Gemm", {"w"}), "transB", 1);
  const Graph g = b.import();
  EXPECT_EQ(g.find("fc1")->weights, (std::vector<float>{-64.5f, 2}));
}

TEST(Qdq, PairsPinTheirTensorsFormats) {
  const Graph g = small_fc(0.25f).import();
  const QModel q = quantize_16(g);
  EXPECT_EQ(q.in_bits, 8u);
  EXPECT_EQ(q.in_frac, 6);
  ASSERT_EQ(q.layers.size(), 1u);
  EXPECT_EQ(q.layers[0].abits, 8u);
  EXPECT_EQ(q.layers[0].afrac, 2);
  EXPECT_EQ(q.layers[0].wbits, 16u) << "weights at the layer's own bits: 2^-3 codes exactly";
  EXPECT_EQ(q.layers[0].weights[0] * std::ldexp(1.0, -q.layers[0].wfrac), 0.25);
}

TEST(Qdq, UnsignedCodesAfterReluTakeNineBits) {
  const QModel q = quantize_16(small_fc(0.25f, 0, kUint8, true).import());
  EXPECT_EQ(q.layers[0].abits, 9u);
  EXPECT_EQ(q.layers[0].afrac, 2);
}

TEST(Qdq, WhatFixedPointCannotHoldIsRefusedNamingTheNode) {
  const Graph not_pow2 = small_fc(0.3f).import();
  EXPECT_EQ(run(not_pow2, {1, 1, 1, 4}, {0, 0, 0, 0}).size(), 2u) << "the float path runs it";
  expect_error([&] { quantize_16(not_pow2); }, EOPNOTSUPP,
               {"'out_q' (QuantizeLinear)", "scale 0.3 is not a power of two"});
  expect_error([&] { quantize_16(small_fc(0.25f, 3).import()); }, EOPNOTSUPP,
               {"'out_q' (QuantizeLinear)", "zero point 3"});
  expect_error([&] { quantize_16(small_fc(0.25f, 0, kUint8).import()); }, EOPNOTSUPP,
               {"'out_q' (QuantizeLinear)", "not clamped at zero"});
}

TEST(Qdq, CodesGoOnlyIntoTheirDequantizeLinear) {
  Builder b(1, 1, 4);
  b.init_values("s", {}, {0.5f});
  b.init_codes("z", {}, kInt8, {0});
  b.node("QuantizeLinear", {"s", "z"})->set_name("q");
  b.node("Relu");
  const Graph g = b.import();
  expect_error([&] { chain_layers(g); }, EOPNOTSUPP,
               {"'q' (QuantizeLinear)", "only before a DequantizeLinear"});
}

TEST(Qdq, BadScalesAndTypesAreRefusedAtImport) {
  Builder zero(1, 1, 4);
  qdq(zero, "a", 0.0f);
  expect_error([&] { zero.import(); }, EINVAL, {"'a_q' (QuantizeLinear)", "not positive"});
  Builder wide(1, 1, 4);
  wide.init_values("s", {}, {0.5f});
  wide.init_codes("z", {}, onnx::TensorProto::INT32, {0});
  wide.node("QuantizeLinear", {"s", "z"})->set_name("q32");
  expect_error([&] { wide.import(); }, EOPNOTSUPP, {"'q32' (QuantizeLinear)", "data type 6"});
  Builder mismatch(2, 1, 2);
  mismatch.init_values("s", {3}, {0.5f, 0.5f, 0.5f});
  mismatch.node("QuantizeLinear", {"s"})->set_name("q3");
  expect_error([&] { mismatch.import(); }, EINVAL, {"'q3' (QuantizeLinear)", "3 scales"});
}

}  // namespace
}  // namespace zaccel
