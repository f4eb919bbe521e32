// ONNX import: the repo's LeNet-5, and small models built here to exercise each op and each
// error (unsupported op or attribute, shape mismatch, corrupt file).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <limits>

#include "model/onnx_import.h"
#include "test_files.h"
#include "util/error.h"

namespace zaccel {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

// A small model builder: input [N, c, h, w], float initializers, a node chain.
class Builder {
 public:
  Builder(int64_t c, int64_t h, int64_t w) {
    m_.set_ir_version(7);
    m_.mutable_graph()->set_name("test");
    m_.add_opset_import()->set_version(13);
    auto *in = m_.mutable_graph()->add_input();
    in->set_name("x");
    auto *tt = in->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(onnx::TensorProto::FLOAT);
    tt->mutable_shape()->add_dim()->set_dim_param("N");
    for (int64_t d : {c, h, w})
      tt->mutable_shape()->add_dim()->set_dim_value(d);
  }
  void init(const std::string &name, std::vector<int64_t> dims, float fill = 0.5f) {
    auto *t = m_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    int64_t n = 1;
    for (int64_t d : dims) {
      t->add_dims(d);
      n *= d;
    }
    for (int64_t i = 0; i < n; ++i)
      t->add_float_data(fill * static_cast<float>(i % 7 - 3));
  }
  void init_values(const std::string &name, std::vector<int64_t> dims, std::vector<float> vals) {
    auto *t = m_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims)
      t->add_dims(d);
    for (float v : vals)
      t->add_float_data(v);
  }
  void init_i64(const std::string &name, std::vector<int64_t> vals) {
    auto *t = m_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::INT64);
    t->add_dims(static_cast<int64_t>(vals.size()));
    for (int64_t v : vals)
      t->add_int64_data(v);
  }
  onnx::NodeProto *node(const std::string &op, std::vector<std::string> extra_inputs = {}) {
    auto *n = m_.mutable_graph()->add_node();
    n->set_op_type(op);
    const std::string id = std::to_string(count_++);
    n->set_name(op);
    n->mutable_name()->append(id);
    n->add_input(cur_);
    for (const auto &i : extra_inputs)
      n->add_input(i);
    cur_ = "t";
    cur_.append(id);
    n->add_output(cur_);
    return n;
  }
  static void ints(onnx::NodeProto *n, const std::string &name, std::vector<int64_t> v) {
    auto *a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (int64_t x : v)
      a->add_ints(x);
  }
  static void int1(onnx::NodeProto *n, const std::string &name, int64_t v) {
    auto *a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(v);
  }
  Graph import() {
    auto *out = m_.mutable_graph()->add_output();
    out->set_name(cur_);
    out->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
    out->mutable_type()->mutable_tensor_type()->mutable_shape();
    return import_onnx(m_);
  }

 private:
  onnx::ModelProto m_;
  std::string cur_ = "x";
  int count_ = 0;
};

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

template <typename F>
void expect_error(F &&f, int err, const std::vector<std::string> &parts) {
  try {
    f();
    FAIL() << "no error";
  } catch (const Error &e) {
    EXPECT_EQ(e.err(), err) << e.what();
    for (const auto &p : parts)
      EXPECT_THAT(e.what(), HasSubstr(p));
  }
}

TEST(OnnxImport, LeNet5) {
  const Graph g = import_onnx_file(ZACCEL_MODEL_DIR "/model.onnx");
  ASSERT_EQ(g.layers.size(), 7u);
  const char *names[] = {"conv1", "pool1", "conv2", "pool2", "fc1", "fc2", "fc3"};
  for (size_t i = 0; i < 7; ++i)
    EXPECT_EQ(g.layers[i].name, names[i]);
  EXPECT_EQ(g.input, (Dims{1, 28, 28}));
  EXPECT_EQ(g.layers[0].out, (Dims{6, 28, 28}));
  EXPECT_TRUE(g.layers[0].relu);
  EXPECT_EQ(g.layers[2].out, (Dims{16, 10, 10}));
  EXPECT_EQ(g.layers[3].out, (Dims{16, 5, 5}));
  EXPECT_EQ(g.layers[4].in.size(), 400u);
  EXPECT_EQ(g.layers[4].out.c, 120u);
  EXPECT_FALSE(g.layers[6].relu);
  EXPECT_EQ(g.output(), (Dims{10, 1, 1}));
  size_t params = 0, macs = 0;
  for (const Layer &l : g.layers) {
    params += l.weights.size() + l.bias.size();
    macs += l.macs();
  }
  EXPECT_EQ(params, 61706u);
  EXPECT_EQ(macs, 416520u);
}

TEST(OnnxImport, SmallCnnShapes) {
  const Graph g = small_cnn().import();
  ASSERT_EQ(g.layers.size(), 3u);
  EXPECT_EQ(g.layers[0].out, (Dims{2, 4, 4}));
  EXPECT_EQ(g.layers[1].out, (Dims{2, 2, 2}));
  EXPECT_EQ(g.layers[2].out, (Dims{5, 1, 1}));
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
  ASSERT_EQ(g.layers.size(), 2u);
  EXPECT_EQ(g.layers[0].pool, kernels::PoolKind::kAverage);
  EXPECT_EQ(g.layers[1].kind, LayerKind::kFc);
  EXPECT_EQ(g.layers[1].bias.size(), 4u);
  EXPECT_TRUE(g.layers[1].relu);
  // MatMul weights are [in][out]; the layer stores [out][in].
  EXPECT_EQ(g.layers[1].weights[1], 0.5f * static_cast<float>(4 % 7 - 3));
}

TEST(OnnxImport, SameUpperPadding) {
  Builder b(1, 5, 5);
  b.init("w", {1, 1, 3, 3});
  auto *c = b.node("Conv", {"w"});
  auto *a = c->add_attribute();
  a->set_name("auto_pad");
  a->set_type(onnx::AttributeProto::STRING);
  a->set_s("SAME_UPPER");
  Builder::ints(c, "strides", {2, 2});
  const Graph g = b.import();
  EXPECT_EQ(g.layers[0].out, (Dims{1, 3, 3}));
}

TEST(OnnxImport, UnsupportedOperator) {
  Builder b(1, 4, 4);
  b.node("Sigmoid");
  expect_error([&] { b.import(); }, EOPNOTSUPP, {"Sigmoid0", "unsupported operator"});
}

TEST(OnnxImport, UnsupportedAttribute) {
  Builder b(1, 6, 6);
  b.init("w", {1, 1, 3, 3});
  Builder::ints(b.node("Conv", {"w"}), "dilations", {2, 2});
  expect_error([&] { b.import(); }, EOPNOTSUPP, {"Conv0", "dilation 2"});
}

TEST(OnnxImport, GroupedConvolution) {
  Builder b(2, 6, 6);
  b.init("w", {2, 1, 3, 3});
  Builder::int1(b.node("Conv", {"w"}), "group", 2);
  expect_error([&] { b.import(); }, EOPNOTSUPP, {"Conv0", "group 2"});
}

TEST(OnnxImport, CeilMode) {
  Builder b(1, 5, 5);
  auto *p = b.node("MaxPool");
  Builder::ints(p, "kernel_shape", {2, 2});
  Builder::int1(p, "ceil_mode", 1);
  expect_error([&] { b.import(); }, EOPNOTSUPP, {"MaxPool0", "ceil_mode"});
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

}  // namespace
}  // namespace zaccel
