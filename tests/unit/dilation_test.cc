// Dilated windows on every path: a 3x3 conv whose taps are two apart (same padding 2) and a
// 2x2 max pool dilated by 2, imported from ONNX, follow the float path in 16-bit fixed point
// and give run_fixed()'s codes on the emulated PYNQ-Z2 in every weight mode and under SDCI.
#include <gtest/gtest.h>

#include <random>

#include "dag_nodes.h"
#include "onnx_builder.h"

namespace zaccel {
namespace {

using test::Builder;

// x [4, 12, 12] -> conv 3x3 dilation 2, pad 2, ReLU -> max pool 2x2 stride 2 dilation 2
// (span 3: 5x5) -> flatten -> fc 10.
Graph dilated_net() {
  Builder b(4, 12, 12);
  std::mt19937 rng(11);
  b.init_values("cw", {4, 4, 3, 3}, test::normal_values(4 * 4 * 9, 0.2f, rng));
  b.init_values("cb", {4}, {0.1f, -0.1f, 0.05f, 0});
  auto *conv = b.node("Conv", {"cw", "cb"});
  Builder::ints(conv, "dilations", {2, 2});
  Builder::ints(conv, "pads", {2, 2, 2, 2});
  b.node("Relu");
  auto *pool = b.node("MaxPool");
  Builder::ints(pool, "kernel_shape", {2, 2});
  Builder::ints(pool, "strides", {2, 2});
  Builder::ints(pool, "dilations", {2, 2});
  b.node("Flatten");
  b.init_values("fw", {10, 100}, test::normal_values(10 * 100, 0.2f, rng));
  b.init_values("fb", {10}, std::vector<float>(10, 0.05f));
  Builder::int1(b.node("Gemm", {"fw", "fb"}), "transB", 1);
  return b.import();
}

TEST(Dilation, FixedPointFollowsFloat) {
  const Graph g = dilated_net();
  ASSERT_EQ(g.nodes[1].kind, LayerKind::kPool);
  EXPECT_EQ(g.nodes[1].out, (Dims{4, 5, 5}));
  std::mt19937 rng(5);
  const std::vector<float> x = test::uniform_images(16, g.input().size(), rng);
  const QModel q = quantize(g, {}, 16, x.data());
  EXPECT_EQ(q.layers[0].conv.win.dil_h, 2u);
  EXPECT_EQ(q.layers[1].pool.win.dil_w, 2u);
  test::expect_follows_float(g, q, 16, x.data(), 2e-3);
}

TEST(Dilation, TheDeviceGivesTheReferenceCodesInEveryMode) {
  const Graph g = dilated_net();
  std::mt19937 rng(6);
  const std::vector<float> x = test::uniform_images(10, g.input().size(), rng);
  const QModel q = quantize(g, {}, 10, x.data());
  PlanOptions o;
  o.batch = 2;
  test::expect_every_mode(q, o, 10, x.data(), [](const Plan &p) {
    const uint32_t step = p.layers[0].ip.id.stride & 0xffff;
    EXPECT_EQ(DRM_ZACCEL_IP_STEP_DILATION(step), 2u) << "the IP's identity says so";
  });
}

}  // namespace
}  // namespace zaccel
