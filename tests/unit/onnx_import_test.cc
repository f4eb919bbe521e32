// ONNX import: the repo's LeNet-5, and small models built here to exercise each op and each
// error (unsupported op or attribute, shape mismatch, corrupt file, bad graphs).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <cmath>
#include <limits>

#include "model/chain.h"
#include "model/fixed_exec.h"
#include "model/float_exec.h"
#include "model/onnx_import.h"
#include "model/quantize.h"
#include "onnx_builder.h"
#include "test_files.h"
#include "util/error.h"

namespace zaccel {
namespace {

using test::Builder;
using test::expect_error;
using ::testing::AllOf;
using ::testing::HasSubstr;

// conv(2@3x3, pad 1) relu maxpool(2) flatten gemm(5)
Builder small_cnn() {
  Builder b(1, 4, 4);
  b.init("w", {2, 1, 3, 3});
  b.init("b", {2});
  auto *conv = b.node("Conv", {"w", "b"});
  Builder::ints(conv, "pads", {1, 1, 1, 1});
  b.node("Relu");
  auto *pool = b.node("MaxPool");
  Builder::ints(pool, "kernel_shape", {2, 2});
  Builder::ints(pool, "strides", {2, 2});
  b.node("Flatten");
  b.init("fw", {5, 8});
  b.init("fb", {5});
  Builder::int1(b.node("Gemm", {"fw", "fb"}), "transB", 1);
  return b;
}

TEST(OnnxImport, LeNet5) {
  const Graph g = import_onnx_file(ZACCEL_MODEL_DIR "/model.onnx");
  const std::vector<const Node *> layers = chain_layers(g).layers;
  ASSERT_EQ(layers.size(), 7u);
  const char *names[] = {"conv1", "pool1", "conv2", "pool2", "fc1", "fc2", "fc3"};
  for (size_t i = 0; i < 7; ++i)
    EXPECT_EQ(layers[i]->name, names[i]);
  EXPECT_EQ(g.nodes.size(), 8u);  // and the Flatten, a reshape
  EXPECT_EQ(g.input(), (Dims{1, 28, 28}));
  EXPECT_EQ(layers[0]->out, (Dims{6, 28, 28}));
  EXPECT_TRUE(layers[0]->relu);
  EXPECT_EQ(layers[2]->out, (Dims{16, 10, 10}));
  EXPECT_EQ(layers[3]->out, (Dims{16, 5, 5}));
  EXPECT_EQ(layers[4]->in.size(), 400u);
  EXPECT_EQ(layers[4]->out.c, 120u);
  EXPECT_FALSE(layers[6]->relu);
  EXPECT_EQ(g.output(), (Dims{10, 1, 1}));
  size_t params = 0, macs = 0;
  for (const Node *l : layers) {
    params += l->weights.size() + l->bias.size();
    macs += l->macs();
  }
  EXPECT_EQ(params, 61706u);
  EXPECT_EQ(macs, 416520u);
}

TEST(OnnxImport, SmallCnnShapes) {
  const Graph g = small_cnn().import();
  const std::vector<const Node *> layers = chain_layers(g).layers;
  ASSERT_EQ(layers.size(), 3u);
  EXPECT_EQ(layers[0]->out, (Dims{2, 4, 4}));
  EXPECT_EQ(layers[1]->out, (Dims{2, 2, 2}));
  EXPECT_EQ(layers[2]->out, (Dims{5, 1, 1}));
}

TEST(OnnxImport, MatMulAddAndReshape) {
  Builder b(2, 3, 3);
  Builder::ints(b.node("AveragePool"), "kernel_shape", {3, 3});
  b.init_i64("shape", {-1, 2});
  b.node("Reshape", {"shape"});
  b.init("w", {2, 4});
  b.node("MatMul", {"w"});
  b.init("bias", {4});
  b.node("Add", {"bias"});
  b.node("Relu");
  const Graph g = b.import();
  const std::vector<const Node *> layers = chain_layers(g).layers;
  ASSERT_EQ(layers.size(), 2u);
  EXPECT_EQ(layers[0]->pool, kernels::PoolKind::kAverage);
  EXPECT_EQ(layers[1]->kind, LayerKind::kFc);
  EXPECT_EQ(layers[1]->bias.size(), 4u);
  EXPECT_TRUE(layers[1]->relu);
  // MatMul weights are [in][out]; the layer stores [out][in].
  EXPECT_EQ(layers[1]->weights[1], 0.5f * static_cast<float>(4 % 7 - 3));
}

TEST(OnnxImport, SameUpperPadding) {
  Builder b(1, 5, 5);
  b.init("w", {1, 1, 3, 3});
  auto *c = b.node("Conv", {"w"});
  Builder::str1(c, "auto_pad", "SAME_UPPER");
  Builder::ints(c, "strides", {2, 2});
  const Graph g = b.import();
  EXPECT_EQ(g.nodes[0].out, (Dims{1, 3, 3}));
}

TEST(OnnxImport, UnsupportedOperator) {
  Builder b(1, 4, 4);
  b.node("Hardmax");
  expect_error([&] { b.import(); }, EOPNOTSUPP, {"Hardmax0", "unsupported operator"});
}

TEST(OnnxImport, UnsupportedAttribute) {
  Builder b(1, 6, 6);
  b.init_i64("pads", {0, 0, 1, 1, 0, 0, 1, 1});
  Builder::str1(b.node("Pad", {"pads"}), "mode", "reflect");
  expect_error([&] { b.import(); }, EOPNOTSUPP, {"Pad0", "mode 'reflect'"});
}

// The quantizer, and through it the planner and the session, takes only chains of the layers
// the fixed-point IPs compute: it names the node it cannot take.
template <typename F>
void expect_fixed_refuses(F &&make, const std::vector<std::string> &parts) {
  const Graph g = make();
  const std::vector<float> calib(g.input().size(), 0.5f);
  expect_error([&] { quantize(g, {}, 1, calib.data()); }, EOPNOTSUPP, parts);
}

TEST(OnnxImport, DilatedConvolution) {
  Builder b(1, 6, 6);
  b.init("w", {1, 1, 3, 3});
  Builder::ints(b.node("Conv", {"w"}), "dilations", {2, 2});
  const Graph g = b.import();
  EXPECT_EQ(g.nodes[0].out, (Dims{1, 2, 2}));
  EXPECT_EQ(g.nodes[0].win.dil_h, 2u);
  EXPECT_EQ(g.nodes[0].win.dil_w, 2u);
}

TEST(OnnxImport, GroupedConvolution) {
  Builder b(2, 6, 6);
  b.init("w", {2, 1, 3, 3});
  Builder::int1(b.node("Conv", {"w"}), "group", 2);
  const Graph g = b.import();
  EXPECT_EQ(g.nodes[0].group, 2u);
  // The fixed-point path takes it: a depthwise conv is one IP (uapi DRM_ZACCEL_IP_GROUPS).
  const std::vector<float> calib(72, 0.5f);
  const QModel q = quantize(g, {}, 1, calib.data());
  ASSERT_EQ(q.layers.size(), 1u);
  EXPECT_EQ(q.layers[0].conv.groups, 2u);
  EXPECT_EQ(q.layers[0].weights.size(), 18u);
}

TEST(OnnxImport, CeilMode) {
  Builder b(1, 5, 5);
  auto *p = b.node("MaxPool");
  Builder::ints(p, "kernel_shape", {2, 2});
  Builder::ints(p, "strides", {2, 2});
  Builder::int1(p, "ceil_mode", 1);
  const Graph g = b.import();
  EXPECT_EQ(g.nodes[0].out, (Dims{1, 3, 3}));
  // The fixed-point path runs it as a floor pool with the overhang as padding: same values.
  std::vector<float> x(25);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = static_cast<float>(int(i * 7 % 11) - 5) / 8.0f;  // exact at any frac >= 3
  const QModel q = quantize(g, {}, 1, x.data());
  ASSERT_EQ(q.layers.size(), 1u);
  EXPECT_EQ(q.layers[0].pool.win.pad_bottom, 1u);
  EXPECT_EQ(q.layers[0].pool.win.pad_right, 1u);
  const std::vector<int16_t> codes = run_fixed(q, 1, quantize_input(q, 1, x.data()).data());
  std::vector<float> fixed(codes.size());
  dequantize_output(q, 1, codes.data(), fixed.data());
  EXPECT_EQ(fixed, run_float(g, 1, x.data()));
}

TEST(OnnxImport, CeilModeAverages) {
  for (int include_pad = 0; include_pad < 2; ++include_pad) {
    Builder b(1, 5, 5);
    auto *p = b.node("AveragePool");
    Builder::ints(p, "kernel_shape", {2, 2});
    Builder::ints(p, "strides", {2, 2});
    Builder::int1(p, "ceil_mode", 1);
    Builder::int1(p, "count_include_pad", include_pad);
    const Graph g = b.import();
    if (include_pad) {
      expect_fixed_refuses([&] { return g; }, {"AveragePool0", "ceil_mode average"});
      continue;
    }
    std::vector<float> x(25);
    for (size_t i = 0; i < x.size(); ++i)
      x[i] = static_cast<float>(int(i * 3 % 8) - 4) / 8.0f;
    const QModel q = quantize(g, {}, 1, x.data());
    const std::vector<int16_t> codes = run_fixed(q, 1, quantize_input(q, 1, x.data()).data());
    std::vector<float> fixed(codes.size());
    dequantize_output(q, 1, codes.data(), fixed.data());
    const std::vector<float> fl = run_float(g, 1, x.data());
    ASSERT_EQ(fixed.size(), fl.size());
    for (size_t i = 0; i < fl.size(); ++i)  // one code apart at most: the average rounds
      EXPECT_NEAR(fixed[i], fl[i], std::ldexp(1.0, -q.out_frac())) << i;
  }
}

TEST(OnnxImport, ChannelMismatch) {
  Builder b(3, 6, 6);
  b.init("w", {4, 2, 3, 3});
  b.node("Conv", {"w"});
  expect_error([&] { b.import(); }, EINVAL, {"Conv0", "2 input channels", "input has 3"});
}

TEST(OnnxImport, FcShapeMismatch) {
  Builder b(1, 4, 4);
  b.node("Flatten");
  b.init("w", {5, 15});
  Builder::int1(b.node("Gemm", {"w"}), "transB", 1);
  expect_error([&] { b.import(); }, EINVAL, {"Gemm1", "15 inputs", "gives 16"});
}

TEST(OnnxImport, GemmWithoutFlatten) {
  Builder b(1, 4, 4);
  b.init("w", {5, 16});
  b.node("Gemm", {"w"});
  expect_error([&] { b.import(); }, EINVAL, {"Gemm0", "2-D input"});
}

TEST(OnnxImport, KernelLargerThanInput) {
  Builder b(1, 2, 2);
  b.init("w", {1, 1, 3, 3});
  b.node("Conv", {"w"});
  expect_error([&] { b.import(); }, EINVAL, {"Conv0", "kernel larger"});
}

TEST(OnnxImport, NonConstantWeights) {
  Builder b(1, 4, 4);
  b.node("Conv", {"x"});  // weights from the data input, not an initializer
  expect_error([&] { b.import(); }, EOPNOTSUPP, {"Conv0", "'x' must be a constant"});
}

// flatten, gemm(3 -> 3) whose weights, bias and alpha are given, on a 3-feature input.
Builder tiny_gemm(std::vector<float> w, std::vector<float> bias, float alpha = 1) {
  Builder b(3, 1, 1);
  b.node("Flatten");
  b.init_values("fc.weight", {3, 3}, std::move(w));
  b.init_values("fc.bias", {3}, std::move(bias));
  auto *gemm = b.node("Gemm", {"fc.weight", "fc.bias"});
  Builder::int1(gemm, "transB", 1);
  auto *a = gemm->add_attribute();
  a->set_name("alpha");
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(alpha);
  return b;
}

constexpr float kNan = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();
const std::vector<float> kEye = {1, 0, 0, 0, 1, 0, 0, 0, 1};

TEST(OnnxImport, NanBias) {
  Builder b = tiny_gemm(kEye, {kNan, 0, 1});
  expect_error([&] { b.import(); }, EINVAL, {"Gemm1", "'fc.bias'", "nan", "index 0"});
}

TEST(OnnxImport, InfWeight) {
  std::vector<float> w = kEye;
  w[4] = -kInf;
  Builder b = tiny_gemm(w, {0, 0, 1});
  expect_error([&] { b.import(); }, EINVAL, {"Gemm1", "'fc.weight'", "-inf", "index 4"});
}

TEST(OnnxImport, NonFiniteConvAndMatMul) {
  Builder conv(1, 4, 4);
  conv.init_values("conv.bias", {1}, {kInf});
  conv.init("conv.weight", {1, 1, 3, 3});
  conv.node("Conv", {"conv.weight", "conv.bias"});
  expect_error([&] { conv.import(); }, EINVAL, {"Conv0", "'conv.bias'", "inf"});
  Builder mm(2, 1, 1);
  mm.node("Flatten");
  mm.init_values("mm.weight", {2, 1}, {1, kNan});
  mm.node("MatMul", {"mm.weight"});
  expect_error([&] { mm.import(); }, EINVAL, {"MatMul1", "'mm.weight'", "index 1"});
}

TEST(OnnxImport, AlphaOverflowsWeights) {
  Builder b = tiny_gemm({3e38f, 0, 0, 0, 1, 0, 0, 0, 1}, {0, 0, 1}, 10);
  expect_error([&] { b.import(); }, EINVAL, {"Gemm1", "'fc.weight' times alpha", "inf"});
}

TEST(OnnxImport, CorruptFile) {
  test::TempDir dir;
  const std::string p = dir.file("bad.onnx");
  std::vector<uint8_t> junk(512);
  for (size_t i = 0; i < junk.size(); ++i)
    junk[i] = static_cast<uint8_t>(i * 37 + 11);
  test::write_bytes(p, junk, false);
  expect_error([&] { import_onnx_file(p); }, EBADMSG, {p});
}

TEST(OnnxImport, TruncatedFile) {
  test::TempDir dir;
  const std::string p = dir.file("cut.onnx");
  std::ifstream f(ZACCEL_MODEL_DIR "/model.onnx", std::ios::binary);
  std::vector<uint8_t> bytes(std::istreambuf_iterator<char>(f), {});
  bytes.resize(bytes.size() / 2);
  test::write_bytes(p, bytes, false);
  expect_error([&] { import_onnx_file(p); }, EBADMSG, {p});
}

TEST(OnnxImport, MissingFile) {
  expect_error([] { import_onnx_file("/nonexistent/model.onnx"); }, ENOENT, {"/nonexistent"});
}

// ---- Bad graphs: each refused with an exact errno and the node named ----------------------

TEST(OnnxImport, Cycle) {
  Builder b(1, 4, 4);
  b.wire("Add", {"x", "t1"}, {"t0"});
  b.wire("Relu", {"t0"}, {"t1"});
  expect_error([&] { b.import(); }, EBADMSG, {"cycle", "Add0", "Relu1"});
}

TEST(OnnxImport, DanglingInput) {
  Builder b(1, 4, 4);
  b.wire("Relu", {"nowhere"}, {"t0"});
  expect_error([&] { b.import(); }, EBADMSG, {"Relu0", "'nowhere'", "dangling"});
}

TEST(OnnxImport, DynamicSpatialInput) {
  Builder b(1, 4, 4);
  b.node("Relu");
  auto *d = b.model().mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type();
  d->mutable_shape()->mutable_dim(2)->set_dim_param("height");
  expect_error([&] { b.import(); }, EOPNOTSUPP, {"input 'x'", "dimension 2", "not a fixed size"});
}

TEST(OnnxImport, DynamicSpatialReshape) {
  Builder b(2, 3, 3);
  b.init_i64("shape", {2, -1});  // the batch moves into dimension 1
  b.node("Reshape", {"shape"});
  expect_error([&] { b.import(); }, EOPNOTSUPP, {"Reshape0", "dimension 1", "not a fixed size"});
}

TEST(OnnxImport, UnsupportedAttributeValue) {
  Builder b(1, 4, 4);
  b.init_values("scale", {1}, {1});
  b.init_values("bias", {1}, {0});
  b.init_values("mean", {1}, {0});
  b.init_values("var", {1}, {1});
  b.opset(15);
  Builder::int1(b.node("BatchNormalization", {"scale", "bias", "mean", "var"}), "training_mode", 1);
  expect_error([&] { b.import(); }, EOPNOTSUPP, {"BatchNormalization0", "training_mode"});
}

// libonnx 1.12's shape inference divides by a stride without checking it (found by
// tests/fuzz/onnx_fuzz): the importer refuses a zero stride before inference runs.
TEST(OnnxImport, ZeroStrideRefusedBeforeShapeInference) {
  Builder b(1, 5, 5);
  auto *p = b.node("MaxPool");
  Builder::ints(p, "kernel_shape", {2, 2});
  Builder::ints(p, "strides", {0, 1});
  expect_error([&] { b.import(); }, EINVAL, {"MaxPool0", "strides value 0"});
}

TEST(OnnxImport, UnsortedNodesAreSorted) {
  Builder b(1, 4, 4);
  b.wire("Relu", {"t0"}, {"t1"});
  b.wire("Relu", {"x"}, {"t0"});
  b.wire("Sigmoid", {"t1"}, {"t2"});
  const Graph g = b.import();
  ASSERT_EQ(g.nodes.size(), 3u);
  EXPECT_EQ(g.nodes[0].node, "Relu1");
  EXPECT_EQ(g.nodes[1].node, "Relu0");
}

// ---- Graphs the chain importer refused --------------------------------------------------

std::vector<float> ramp(size_t n, float step = 0.25f) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i)
    v[i] = step * static_cast<float>(static_cast<int>(i % 11) - 5);
  return v;
}

// x.view(x.size(0), -1) as PyTorch exports it: Shape, Gather, Unsqueeze, Concat, Reshape.
TEST(OnnxImport, ViewOfSizeZeroFolds) {
  Builder b(2, 3, 3);
  b.wire("Shape", {"x"}, {"s"});
  b.init_i64_dims("zero", {}, {0});
  b.wire("Gather", {"s", "zero"}, {"n"});
  b.init_i64("axes", {0});
  b.wire("Unsqueeze", {"n", "axes"}, {"n1"});
  b.init_i64("minus1", {-1});
  Builder::int1(b.wire("Concat", {"n1", "minus1"}, {"target"}), "axis", 0);
  b.wire("Reshape", {"x", "target"}, {"flat"});
  b.init("w", {5, 18});
  Builder::int1(b.node("Gemm", {"w"}), "transB", 1);
  const Graph g = b.import();
  ASSERT_EQ(g.nodes.size(), 2u);
  EXPECT_EQ(g.nodes[0].kind, LayerKind::kReshape);
  EXPECT_EQ(g.values[g.nodes[0].outputs[0]].shape, (std::vector<int64_t>{kBatch, 18}));
  EXPECT_EQ(chain_layers(g).layers.size(), 1u);
  EXPECT_EQ(run_float(g, 3, ramp(54).data()).size(), 15u);
}

Builder conv_bn(bool bn) {
  Builder b(1, 4, 4);
  b.init("w", {2, 1, 3, 3});
  b.init_values("b", {2}, {0.5f, -1});
  Builder::ints(b.node("Conv", {"w", "b"}), "pads", {1, 1, 1, 1});
  if (bn) {
    b.init_values("scale", {2}, {2, 0.5f});
    b.init_values("shift", {2}, {0.25f, 1});
    b.init_values("mean", {2}, {0.1f, -0.2f});
    b.init_values("var", {2}, {4, 0.25f});
    b.node("BatchNormalization", {"scale", "shift", "mean", "var"});
  }
  b.node("Relu");
  return b;
}

TEST(OnnxImport, BatchNormFoldsIntoConv) {
  const Graph with = conv_bn(true).import();
  ASSERT_EQ(with.nodes.size(), 1u);
  EXPECT_TRUE(with.nodes[0].relu);
  Builder plain = conv_bn(false);
  const Graph without = plain.import();
  const std::vector<float> in = ramp(2 * 16);
  const std::vector<float> got = run_float(with, 2, in.data());
  Graph no_relu = without;
  no_relu.nodes[0].relu = false;
  const std::vector<float> conv = run_float(no_relu, 2, in.data());
  const float scale[] = {2, 0.5f}, shift[] = {0.25f, 1}, mean[] = {0.1f, -0.2f}, var[] = {4, 0.25f};
  ASSERT_EQ(got.size(), conv.size());
  for (size_t i = 0; i < got.size(); ++i) {
    const size_t c = i / 16 % 2;
    const float bn = (conv[i] - mean[c]) / std::sqrt(var[c] + 1e-5f) * scale[c] + shift[c];
    EXPECT_NEAR(got[i], std::max(bn, 0.0f), 1e-5) << i;
  }
}

TEST(OnnxImport, BatchNormAloneIsScaleShift) {
  Builder b(2, 2, 2);
  b.init_values("scale", {2}, {1, 2});
  b.init_values("shift", {2}, {0, 1});
  b.init_values("mean", {2}, {0, 0});
  b.init_values("var", {2}, {1, 1});
  b.node("BatchNormalization", {"scale", "shift", "mean", "var"});
  const Graph g = b.import();
  ASSERT_EQ(g.nodes.size(), 1u);
  EXPECT_EQ(g.nodes[0].kind, LayerKind::kScaleShift);
  // In fixed point, a depthwise 1x1 conv: the scales its weights, the shifts its bias.
  const std::vector<float> x = {0.5f, -0.25f, 1, 0.75f, -1, 0.125f, 0.25f, 2};
  const QModel q = quantize(g, {}, 1, x.data());
  ASSERT_EQ(q.layers.size(), 1u);
  EXPECT_EQ(q.layers[0].kind, LayerKind::kConv);
  EXPECT_EQ(q.layers[0].conv.groups, 2u);
  const std::vector<int16_t> codes = run_fixed(q, 1, quantize_input(q, 1, x.data()).data());
  std::vector<float> fixed(codes.size());
  dequantize_output(q, 1, codes.data(), fixed.data());
  const std::vector<float> fl = run_float(g, 1, x.data());  // var 1 + epsilon: not quite 1
  ASSERT_EQ(fixed.size(), fl.size());
  for (size_t i = 0; i < fl.size(); ++i)
    EXPECT_NEAR(fixed[i], fl[i], 1e-4) << i;
}

TEST(OnnxImport, DropoutAndIdentityRemoved) {
  Builder b(1, 2, 2);
  b.node("Relu");
  b.node("Dropout");
  b.node("Identity");
  const Graph g = b.import();
  ASSERT_EQ(g.nodes.size(), 1u);
  EXPECT_EQ(g.outputs[0], g.nodes[0].outputs[0]);
}

// nn.AvgPool2d(3, padding=1) as some exports give it: a Constant, a Pad, an AveragePool.
TEST(OnnxImport, ConstantPadFusesIntoAveragePool) {
  Builder b(1, 4, 4);
  auto *k = b.wire("Constant", {}, {"pads"});
  auto *v = k->add_attribute();
  v->set_name("value");
  v->set_type(onnx::AttributeProto::TENSOR);
  v->mutable_t()->set_data_type(onnx::TensorProto::INT64);
  v->mutable_t()->add_dims(8);
  for (int64_t p : {0, 0, 1, 1, 0, 0, 1, 1})
    v->mutable_t()->add_int64_data(p);
  b.wire("Pad", {"x", "pads"}, {"padded"});
  Builder::ints(b.node("AveragePool"), "kernel_shape", {3, 3});
  const Graph g = b.import();
  ASSERT_EQ(g.nodes.size(), 1u);
  EXPECT_EQ(g.nodes[0].win.pad_top, 1u);
  EXPECT_TRUE(g.nodes[0].count_include_pad);
  const std::vector<float> ones(16, 1.0f);
  const std::vector<float> out = run_float(g, 1, ones.data());
  EXPECT_FLOAT_EQ(out[0], 4.0f / 9);  // a corner: 4 ones and 5 padded zeros
  EXPECT_FLOAT_EQ(out[5], 1.0f);
}

TEST(OnnxImport, ResidualAddRunsOnEveryPath) {
  Builder b(1, 4, 4);
  b.init("w", {1, 1, 3, 3});
  Builder::ints(b.wire("Conv", {"x", "w"}, {"c"}), "pads", {1, 1, 1, 1});
  b.wire("Relu", {"c"}, {"r"});
  b.wire("Add", {"r", "x"}, {"sum"});
  const Graph g = b.import();
  ASSERT_EQ(g.nodes.size(), 2u);
  const std::vector<float> in = ramp(16);
  Graph conv_only = g;
  conv_only.nodes.pop_back();
  conv_only.outputs = {g.nodes[0].outputs[0]};
  const std::vector<float> c = run_float(conv_only, 1, in.data());
  const std::vector<float> sum = run_float(g, 1, in.data());
  for (size_t i = 0; i < 16; ++i)
    EXPECT_FLOAT_EQ(sum[i], c[i] + in[i]);
  // Fixed point: an Add of the block's input and conv0's output (residual_test.cc).
  const QModel q = quantize(g, {}, 1, in.data());
  ASSERT_EQ(q.layers.size(), 2u);
  EXPECT_EQ(q.layers[1].src, (std::vector<uint32_t>{1, 0}));
  Graph concat = g;
  concat.nodes[1].kind = LayerKind::kConcat;
  expect_fixed_refuses([&] { return concat; }, {"Add", "concatenates only channels"});
}

TEST(OnnxImport, SoftmaxAtTheOutput) {
  Builder b = small_cnn();
  b.node("Softmax");
  const Graph g = b.import();
  const std::vector<float> out = run_float(g, 2, ramp(32).data());
  ASSERT_EQ(out.size(), 10u);
  float sum = 0;
  for (size_t i = 0; i < 5; ++i)
    sum += out[i];
  EXPECT_NEAR(sum, 1.0f, 1e-6);
  // The fixed-point path runs it on the host after the device (host_output_test.cc).
  const std::vector<float> calib(g.input().size(), 0.5f);
  EXPECT_EQ(quantize(g, {}, 1, calib.data()).host_output, LayerKind::kSoftmax);
}

// Before opset 13 Softmax coerces its input to 2-D at the axis (default 1); from 13 it runs
// along one axis (default the last).
TEST(OnnxImport, SoftmaxOpsetSemantics) {
  const std::vector<float> in = {0, 1, 2, 3, 4, 5};
  for (int64_t opset : {11, 13}) {
    Builder b(2, 1, 3);
    b.opset(opset);
    b.node("Softmax");
    const std::vector<float> out = run_float(b.import(), 1, in.data());
    ASSERT_EQ(out.size(), 6u);
    const double row = opset == 11 ? std::exp(0.0) + std::exp(1.0) + std::exp(2.0) + std::exp(3.0) +
                                         std::exp(4.0) + std::exp(5.0)
                                   : std::exp(3.0) + std::exp(4.0) + std::exp(5.0);
    EXPECT_NEAR(out[5], std::exp(5.0) / row, 1e-6) << "opset " << opset;
  }
}

TEST(OnnxImport, SeveralOutputs) {
  Builder b(1, 2, 2);
  b.wire("Relu", {"x"}, {"early"});
  b.wire("Sigmoid", {"early"}, {"late"});
  auto *out = b.model().mutable_graph()->add_output();
  out->set_name("early");
  out->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
  out->mutable_type()->mutable_tensor_type()->mutable_shape();
  const Graph g = b.import();
  ASSERT_EQ(g.outputs.size(), 2u);
  std::vector<Tensor> in(1);
  in[0] = {{1, 1, 2, 2}, {-1, 0, 1, 2}};
  const std::vector<Tensor> outs = run_float(g, std::move(in));
  ASSERT_EQ(outs.size(), 2u);
  EXPECT_EQ(outs[0].data, (std::vector<float>{0, 0, 1, 2}));
  EXPECT_FLOAT_EQ(outs[1].data[3], 1.0f / (1.0f + std::exp(-2.0f)));
  expect_fixed_refuses([&] { return g; }, {"one input and one output"});
}

}  // namespace
}  // namespace zaccel
