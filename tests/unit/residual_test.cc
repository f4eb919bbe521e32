// A residual block through the fixed-point path: conv, conv, an Add of the block's input and
// the second conv's output, a ReLU fused into the Add, a pool and an fc. The quantizer keeps
// each operand's scale and aligns them (the rule of quantize()'s comment); the fixed-point
// path follows float; the device computes it bit-identically in every weight mode and under
// SDCI; joins other than an Add, and Adds the element-wise IP cannot compute, are refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "model/fixed_exec.h"
#include "model/float_exec.h"
#include "model/quantize.h"
#include "run/session.h"
#include "run/target.h"
#include "util/error.h"

namespace zaccel {
namespace {

constexpr Dims kIn = {4, 6, 6};

Node conv(const std::string &name, bool relu, std::mt19937 &rng) {
  Node l;
  l.kind = LayerKind::kConv;
  l.name = l.node = name;
  l.op = "Conv";
  l.in = l.out = kIn;
  l.win = {3, 3, 1, 1, 1, 1, 1, 1};
  l.relu = relu;
  std::normal_distribution<float> w(0.0f, 0.25f);
  for (size_t i = 0; i < 4 * 4 * 9; ++i)
    l.weights.push_back(w(rng));
  l.bias = {0.1f, -0.1f, 0.05f, 0.0f};
  return l;
}

// x -> conv1 (ReLU) -> conv2 -> add(conv2, x) -> relu -> pool 2x2 -> fc 36 -> 3.
Graph residual(std::mt19937 &rng) {
  Graph g;
  const auto value = [&](const std::string &name, std::vector<int64_t> shape) {
    return g.add_value({name, std::move(shape), false, {}});
  };
  const std::vector<int64_t> spatial = {kBatch, 4, 6, 6};
  const ValueId x = value("x", spatial), c1 = value("c1", spatial), c2 = value("c2", spatial),
                sum = value("sum", spatial), r = value("r", spatial),
                p = value("p", {kBatch, 4, 3, 3}), y = value("y", {kBatch, 3});
  g.inputs = {x};
  g.outputs = {y};
  Node n1 = conv("conv1", true, rng), n2 = conv("conv2", false, rng);
  n1.inputs = {x};
  n1.outputs = {c1};
  n2.inputs = {c1};
  n2.outputs = {c2};
  Node add;
  add.kind = LayerKind::kAdd;
  add.name = add.node = "add1";
  add.op = "Add";
  add.in = add.out = kIn;
  add.inputs = {c2, x};
  add.outputs = {sum};
  Node relu;
  relu.kind = LayerKind::kRelu;
  relu.name = relu.node = "relu1";
  relu.op = "Relu";
  relu.in = relu.out = kIn;
  relu.inputs = {sum};
  relu.outputs = {r};
  Node pool;
  pool.kind = LayerKind::kPool;
  pool.name = pool.node = "pool1";
  pool.op = "MaxPool";
  pool.in = kIn;
  pool.out = {4, 3, 3};
  pool.win = {2, 2, 2, 2, 0, 0, 0, 0};
  pool.inputs = {r};
  pool.outputs = {p};
  Node fc;
  fc.kind = LayerKind::kFc;
  fc.name = fc.node = "fc1";
  fc.op = "Gemm";
  fc.in = {4, 3, 3};
  fc.out = {3, 1, 1};
  std::normal_distribution<float> w(0.0f, 0.2f);
  for (size_t i = 0; i < 3 * 36; ++i)
    fc.weights.push_back(w(rng));
  fc.bias = {0.0f, 0.1f, -0.1f};
  fc.inputs = {p};
  fc.outputs = {y};
  for (Node *l : {&n1, &n2, &add, &relu, &pool, &fc})
    g.nodes.push_back(*l);
  return g;
}

std::vector<float> images(size_t n, std::mt19937 &rng) {
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<float> v(n * kIn.size());
  for (float &x : v)
    x = u(rng);
  return v;
}

struct Residual : ::testing::Test {
  std::mt19937 rng{7};
  const Graph g = residual(rng);
  const std::vector<float> calib = images(64, rng);
  const QModel q = quantize(g, {}, 64, calib.data());
};

TEST_F(Residual, QuantizesTheAddByTheRule) {
  ASSERT_EQ(q.layers.size(), 5u);  // conv1, conv2, add1 (ReLU fused), pool1, fc1
  const QLayer &add = q.layers[2];
  EXPECT_EQ(add.kind, LayerKind::kAdd);
  EXPECT_EQ(add.src, (std::vector<uint32_t>{2, 0})) << "conv2's output and the input";
  EXPECT_TRUE(add.add.rq.relu);
  const int fa = q.layers[1].afrac, fb = q.in_frac;
  EXPECT_EQ(add.add.align, fa - fb);
  EXPECT_EQ(add.add.rq.shift, std::max(fa, fb) - add.afrac);
  EXPECT_EQ(q.source(3), 3u) << "the pool reads the Add";
}

TEST_F(Residual, FixedPointFollowsFloat) {
  // The calibration images: inside the ranges the scales were chosen for.
  const size_t n = 32;
  const std::vector<float> x(calib.begin(), calib.begin() + n * kIn.size());
  const std::vector<float> want = run_float(g, n, x.data());
  const std::vector<int16_t> in = quantize_input(q, n, x.data());
  const std::vector<int16_t> codes = run_fixed(q, n, in.data());
  std::vector<float> got(codes.size());
  dequantize_output(q, n, codes.data(), got.data());
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], want[i], 2e-3) << i;
}

TEST_F(Residual, DeviceIsBitIdenticalInEveryMode) {
  auto dev = dev::Device::open("emu:pynq-z2");
  const size_t n = 20;
  const std::vector<float> x = images(n, rng);
  const std::vector<int16_t> in = quantize_input(q, n, x.data());
  const std::vector<int16_t> want = run_fixed(q, n, in.data());
  for (PlanMode mode :
       {PlanMode::kStatic, PlanMode::kDasp, PlanMode::kBatchCached, PlanMode::kSdci}) {
    PlanOptions o;
    o.mode = mode;
    o.batch = 2;
    o.sweep = 8;
    const Plan p = make_plan(q, o, plan_target(*dev));
    ASSERT_EQ(p.layers[2].ip.id.kind, uint32_t{DRM_ZACCEL_IP_ELTWISE});
    Session s(*dev, q, p, 4);
    std::vector<int16_t> got(want.size());
    s.run(n, in.data(), got.data());
    EXPECT_EQ(got, want) << plan_mode_name(mode);
  }
}

TEST_F(Residual, RefusesWhatTheAddCannotDo) {
  const auto refused = [&](const Graph &bad, const QuantOptions &o, const char *what) {
    try {
      quantize(bad, o, 64, calib.data());
      ADD_FAILURE() << what << ": quantized";
    } catch (const Error &e) {
      EXPECT_EQ(e.err(), EOPNOTSUPP) << what;
      EXPECT_THAT(e.what(), ::testing::HasSubstr("node 'add1' (Add)")) << what;
    }
  };
  QuantOptions eight;
  eight.per_layer["conv2"] = {16, 8};
  refused(g, eight, "operands of 8 and 16 bits");
  Graph concat = g;
  concat.nodes[2].kind = LayerKind::kConcat;
  refused(concat, {}, "a Concat");
  Graph broadcast = g;
  const ValueId bias = broadcast.add_value({"b", {1, 4, 1, 1}, true, {1, 2, 3, 4}});
  broadcast.nodes[2].inputs = {broadcast.nodes[2].inputs[0], bias};
  refused(broadcast, {}, "a constant operand");
}

}  // namespace
}  // namespace zaccel
