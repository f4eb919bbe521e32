// A channel Concat through the fixed-point path: two branches (a 1x1 and a 3x3 conv, each with
// a fused ReLU) joined by a Concat, then a pool and an fc. The quantizer gives the operands one
// scale, the coarser of theirs; the device has no IP for the Concat: the branches' IPs write
// their channels side by side into its buffer (the output stride), and the pool reads it, in
// every weight mode, split or not, and under SDCI.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

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

Node conv(const std::string &name, uint32_t k, float scale, std::mt19937 &rng) {
  Node l;
  l.kind = LayerKind::kConv;
  l.name = l.node = name;
  l.op = "Conv";
  l.in = l.out = kIn;
  const uint32_t pad = k / 2;
  l.win = {k, k, 1, 1, pad, pad, pad, pad};
  l.relu = true;
  std::normal_distribution<float> w(0.0f, scale);
  for (size_t i = 0; i < 4 * 4 * k * k; ++i)
    l.weights.push_back(w(rng));
  l.bias = {0.1f, -0.1f, 0.05f, 0.0f};
  return l;
}

// x -> {conv_a 1x1, conv_b 3x3} -> concat -> pool 2x2 -> fc 72 -> 3. conv_b's weights are
// larger, so its outputs range wider and its scale is coarser than conv_a's.
Graph branches(std::mt19937 &rng) {
  Graph g;
  const auto value = [&](const std::string &name, std::vector<int64_t> shape) {
    return g.add_value({name, std::move(shape), false, {}});
  };
  const std::vector<int64_t> spatial = {kBatch, 4, 6, 6};
  const ValueId x = value("x", spatial), a = value("a", spatial), b = value("b", spatial),
                cat = value("cat", {kBatch, 8, 6, 6}), p = value("p", {kBatch, 8, 3, 3}),
                y = value("y", {kBatch, 3});
  g.inputs = {x};
  g.outputs = {y};
  Node na = conv("conv_a", 1, 0.3f, rng), nb = conv("conv_b", 3, 0.6f, rng);
  na.inputs = nb.inputs = {x};
  na.outputs = {a};
  nb.outputs = {b};
  Node c;
  c.kind = LayerKind::kConcat;
  c.name = c.node = "concat1";
  c.op = "Concat";
  c.axis = 1;
  c.in = kIn;
  c.out = {8, 6, 6};
  c.inputs = {a, b};
  c.outputs = {cat};
  Node pool;
  pool.kind = LayerKind::kPool;
  pool.name = pool.node = "pool1";
  pool.op = "MaxPool";
  pool.in = {8, 6, 6};
  pool.out = {8, 3, 3};
  pool.win = {2, 2, 2, 2, 0, 0, 0, 0};
  pool.inputs = {cat};
  pool.outputs = {p};
  Node fc;
  fc.kind = LayerKind::kFc;
  fc.name = fc.node = "fc1";
  fc.op = "Gemm";
  fc.in = {8, 3, 3};
  fc.out = {3, 1, 1};
  std::normal_distribution<float> w(0.0f, 0.2f);
  for (size_t i = 0; i < 3 * 72; ++i)
    fc.weights.push_back(w(rng));
  fc.bias = {0.0f, 0.1f, -0.1f};
  fc.inputs = {p};
  fc.outputs = {y};
  for (Node *l : {&na, &nb, &c, &pool, &fc})
    g.nodes.push_back(*l);
  return g;
}

struct Concat : ::testing::Test {
  std::mt19937 rng{11};
  const Graph g = branches(rng);
  const std::vector<float> calib = [this] {
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> v(64 * kIn.size());
    for (float &x : v)
      x = u(rng);
    return v;
  }();
  const QModel q = quantize(g, {}, 64, calib.data());
};

TEST_F(Concat, OperandsShareTheCoarserScale) {
  ASSERT_EQ(q.layers.size(), 5u);
  const QLayer &cat = q.layers[2];
  EXPECT_EQ(cat.kind, LayerKind::kConcat);
  EXPECT_EQ(cat.src, (std::vector<uint32_t>{1, 2}));
  EXPECT_EQ(q.layers[0].afrac, cat.afrac);
  EXPECT_EQ(q.layers[1].afrac, cat.afrac);
  // conv_a alone would keep a finer scale: its own calibration gives it one more bit at least.
  Graph alone = g;
  alone.nodes.resize(1);
  alone.outputs = {alone.nodes[0].outputs[0]};
  EXPECT_GT(quantize(alone, {}, 64, calib.data()).layers[0].afrac, cat.afrac);
}

TEST_F(Concat, FixedPointFollowsFloat) {
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

TEST_F(Concat, DeviceWritesTheBranchesSideBySideInEveryMode) {
  auto dev = dev::Device::open("emu:pynq-z2");
  const size_t n = 20;
  const std::vector<int16_t> in = quantize_input(q, n, calib.data());
  const std::vector<int16_t> want = run_fixed(q, n, in.data());
  for (const bool split : {false, true}) {
    for (PlanMode mode :
         {PlanMode::kStatic, PlanMode::kDasp, PlanMode::kBatchCached, PlanMode::kSdci}) {
      PlanOptions o;
      o.mode = mode;
      o.batch = 2;
      o.sweep = 8;
      if (split) o.split["conv_b"] = {2, 2};
      const Plan p = make_plan(q, o, plan_target(*dev));
      ASSERT_EQ(p.layers.size(), split ? 5u : 4u) << "no IP for the Concat";
      Session s(*dev, q, p, 4);
      std::vector<int16_t> got(want.size());
      s.run(n, in.data(), got.data());
      EXPECT_EQ(got, want) << plan_mode_name(mode) << (split ? ", conv_b split" : "");
    }
  }
}

TEST_F(Concat, RefusesWhatTheBuffersCannotHold) {
  const auto refused = [&](const Graph &bad, const char *what) {
    try {
      quantize(bad, {}, 64, calib.data());
      ADD_FAILURE() << what << ": quantized";
    } catch (const Error &e) {
      EXPECT_EQ(e.err(), EOPNOTSUPP) << what;
      EXPECT_THAT(e.what(), ::testing::HasSubstr("node 'concat1' (Concat)")) << what;
    }
  };
  Graph input = g;
  input.nodes[2].inputs[0] = g.inputs[0];
  refused(input, "the graph's input as an operand");
  Graph last = g;
  last.nodes.resize(3);
  last.outputs = {last.nodes[2].outputs[0]};
  refused(last, "a Concat as the last layer");
  Graph twice = g;
  twice.nodes[2].inputs = {twice.nodes[0].outputs[0], twice.nodes[0].outputs[0]};
  refused(twice, "one operand twice");
}

}  // namespace
}  // namespace zaccel
