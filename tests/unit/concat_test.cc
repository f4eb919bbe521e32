// A channel Concat through the fixed-point path: two branches (a 1x1 and a 3x3 conv, each with
// a fused ReLU) joined by a Concat, then a pool and an fc. The quantizer gives the operands one
// scale, the coarser of theirs; the device has no IP for the Concat: the branches' IPs write
// their channels side by side into its buffer (the output stride), and the pool reads it, in
// every weight mode, split or not, and under SDCI.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "dag_nodes.h"
#include "util/error.h"

namespace zaccel {
namespace {

constexpr Dims kIn = {4, 6, 6};

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
  Node c = test::node(LayerKind::kConcat, "concat1", "Concat", kIn, {8, 6, 6}, {a, b}, cat);
  c.axis = 1;
  g.nodes = {test::conv_node("conv_a", kIn, 1, true, 0.3f, rng, x, a),
             test::conv_node("conv_b", kIn, 3, true, 0.6f, rng, x, b), c,
             test::pool_node("pool1", {8, 6, 6}, cat, p),
             test::fc_node("fc1", {8, 3, 3}, 3, rng, p, y)};
  return g;
}

struct Concat : ::testing::Test {
  std::mt19937 rng{11};
  const Graph g = branches(rng);
  const std::vector<float> calib = test::uniform_images(64, kIn.size(), rng);
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
  test::expect_follows_float(g, q, 32, calib.data(), 2e-3);
}

TEST_F(Concat, DeviceWritesTheBranchesSideBySideInEveryMode) {
  for (const bool split : {false, true}) {
    PlanOptions o;
    o.batch = 2;
    o.sweep = 8;
    if (split) o.split["conv_b"] = {2, 2};
    test::expect_every_mode(q, o, 20, calib.data(), [&](const Plan &p) {
      ASSERT_EQ(p.layers.size(), split ? 5u : 4u) << "no IP for the Concat";
    });
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
