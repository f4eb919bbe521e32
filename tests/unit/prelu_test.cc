// PRelu with a slope per channel on every path: after a conv imported from ONNX (slopes
// [C, 1, 1], as nn.PReLU(C) exports them), 16-bit fixed point follows the float path, and the
// emulated PYNQ-Z2 gives run_fixed()'s codes in every weight mode and under SDCI, the slopes in
// the conv's bias words (uapi DRM_ZACCEL_ACT_PRELU), also when the conv is split by output
// channel.
#include <gtest/gtest.h>

#include <random>

#include "dag_nodes.h"
#include "onnx_builder.h"

namespace zaccel {
namespace {

using test::Builder;

// x [3, 8, 8] -> conv 3x3 (4 channels) -> PRelu [4, 1, 1] -> max pool 2x2 -> flatten -> fc 10.
Graph prelu_net() {
  Builder b(3, 8, 8);
  std::mt19937 rng(12);
  b.init_values("cw", {4, 3, 3, 3}, test::normal_values(4 * 3 * 9, 0.25f, rng));
  b.init_values("cb", {4}, {0.1f, -0.2f, 0.05f, 0});
  b.node("Conv", {"cw", "cb"});
  b.init_values("slope", {4, 1, 1}, {0.25f, 0.0f, 0.6f, 0.1f});
  b.node("PRelu", {"slope"});
  auto *pool = b.node("MaxPool");
  Builder::ints(pool, "kernel_shape", {2, 2});
  Builder::ints(pool, "strides", {2, 2});
  b.node("Flatten");
  b.init_values("fw", {10, 36}, test::normal_values(10 * 36, 0.25f, rng));
  b.init_values("fb", {10}, std::vector<float>(10, 0.0f));
  Builder::int1(b.node("Gemm", {"fw", "fb"}), "transB", 1);
  return b.import();
}

TEST(PRelu, SlopesPerChannelOnEveryPath) {
  const Graph g = prelu_net();
  std::mt19937 rng(8);
  const std::vector<float> x = test::uniform_images(12, g.input().size(), rng);
  const QModel q = quantize(g, {}, 12, x.data());
  ASSERT_EQ(q.layers[0].conv.rq.act, kernels::Act::kPRelu);
  EXPECT_EQ(kernels::prelu_slope(q.layers[0].bias[2]), 19661);  // 0.6 in Q0.15
  test::expect_follows_float(g, q, 12, x.data(), 2e-3);
  PlanOptions o;
  o.batch = 2;
  test::expect_every_mode(q, o, 12, x.data(), [](const Plan &p) {
    EXPECT_EQ(DRM_ZACCEL_IP_ACT_OF(p.layers[0].ip.id.flags), uint32_t{DRM_ZACCEL_ACT_PRELU});
  });
  // Split by output channel: each IP takes its channels' bias words, slopes and all.
  o.split = {{q.layers[0].name, {1, 3}}};
  test::expect_every_mode(q, o, 12, x.data(), [](const Plan &p) {
    EXPECT_EQ(p.layers[1].out_lo, 1u);
    EXPECT_EQ(kernels::prelu_slope(p.layers[1].layer->bias[1]), 19661) << "channel 2's slope";
  });
}

}  // namespace
}  // namespace zaccel
