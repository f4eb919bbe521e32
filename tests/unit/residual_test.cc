// A residual block through the fixed-point path: conv, conv, an Add of the block's input and
// the second conv's output, a ReLU fused into the Add, a pool and an fc. The quantizer keeps
// each operand's scale and aligns them (the rule of quantize()'s comment); the fixed-point
// path follows float; the device computes it bit-identically in every weight mode and under
// SDCI; joins other than an Add, and Adds the element-wise IP cannot compute, are refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "dag_nodes.h"
#include "util/error.h"

namespace zaccel {
namespace {

using test::node;

constexpr Dims kIn = {4, 6, 6};

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
  g.nodes = {test::conv_node("conv1", kIn, 3, true, 0.25f, rng, x, c1),
             test::conv_node("conv2", kIn, 3, false, 0.25f, rng, c1, c2),
             node(LayerKind::kAdd, "add1", "Add", kIn, kIn, {c2, x}, sum),
             node(LayerKind::kRelu, "relu1", "Relu", kIn, kIn, {sum}, r),
             test::pool_node("pool1", kIn, r, p),
             test::fc_node("fc1", {4, 3, 3}, 3, rng, p, y)};
  return g;
}

struct Residual : ::testing::Test {
  std::mt19937 rng{7};
  const Graph g = residual(rng);
  const std::vector<float> calib = test::uniform_images(64, kIn.size(), rng);
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
  test::expect_follows_float(g, q, 32, calib.data(), 2e-3);
}

TEST_F(Residual, DeviceIsBitIdenticalInEveryMode) {
  PlanOptions o;
  o.batch = 2;
  o.sweep = 8;
  test::expect_every_mode(q, o, 20, calib.data(), [](const Plan &p) {
    ASSERT_EQ(p.layers[2].ip.id.kind, uint32_t{DRM_ZACCEL_IP_ELTWISE});
  });
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
