// Layers split by input channel: a cascade of IPs, each summing its channels and passing the
// 64-bit partial sums on, the last requantizing once. Bit-identical to the whole layer in
// every weight mode and under SDCI; the planner's checks of such splits.
#include <gtest/gtest.h>

#include <random>

#include "model/fixed_exec.h"
#include "model/slice.h"
#include "run/session.h"
#include "run/target.h"
#include "small_model.h"
#include "util/error.h"

namespace zaccel {
namespace {

using test::inputs;
using test::model;

struct SplitIn : ::testing::Test {
  void SetUp() override { dev = dev::Device::open("emu:pynq-z2"); }
  Plan plan(PlanMode mode, std::map<std::string, std::vector<uint32_t>> split_in,
            std::map<std::string, std::vector<uint32_t>> split = {}) {
    PlanOptions o;
    o.mode = mode;
    o.batch = 2;
    o.sweep = 8;
    o.split_in = std::move(split_in);
    o.split = std::move(split);
    return make_plan(q, o, plan_target(*dev));
  }
  int err(std::map<std::string, std::vector<uint32_t>> split_in,
          std::map<std::string, std::vector<uint32_t>> split = {}) {
    try {
      plan(PlanMode::kStatic, std::move(split_in), std::move(split));
    } catch (const Error &e) {
      return e.err();
    }
    return 0;
  }
  std::unique_ptr<dev::Device> dev;
  const QModel q = model();
};

TEST_F(SplitIn, SliceMarksTheCascade) {
  const QLayer &conv2 = q.layers[1];
  const QLayer a = slice_in_channels(conv2, 0, 3, true, false);
  const QLayer b = slice_in_channels(conv2, 3, 8, false, true);
  EXPECT_EQ(a.in.c, 3u);
  EXPECT_EQ(a.weights.size(), 8u * 3 * 9);
  EXPECT_TRUE(a.bias.empty()) << "the last part adds the bias";
  EXPECT_FALSE(a.conv.rq.relu) << "no ReLU on partial sums";
  EXPECT_TRUE(a.acc_out && !a.acc_in);
  EXPECT_TRUE(b.acc_in && !b.acc_out && b.conv.rq.relu);
  EXPECT_EQ(b.weights[0], conv2.weights[3 * 9]) << "filter 0, input channel 3";
  EXPECT_THROW(slice_in_channels(conv2, 3, 9, false, true), Error);
}

TEST_F(SplitIn, EveryModeIsBitIdentical) {
  const size_t n = 20;
  const std::vector<int16_t> in = inputs(n), want = run_fixed(q, n, in.data());
  const std::map<std::string, std::vector<uint32_t>> split_in = {{"conv2", {2, 2, 4}},
                                                                 {"fc1", {4, 4}}};
  for (PlanMode mode :
       {PlanMode::kStatic, PlanMode::kDasp, PlanMode::kBatchCached, PlanMode::kSdci}) {
    const Plan p = plan(mode, split_in, {{"conv1", {4, 4}}});
    ASSERT_EQ(p.layers.size(), 2u + 3u + 2u) << plan_mode_name(mode);
    Session s(*dev, q, p, 4);
    std::vector<int16_t> got(want.size());
    s.run(n, in.data(), got.data());
    EXPECT_EQ(got, want) << plan_mode_name(mode);
  }
}

TEST_F(SplitIn, PlannerChecksTheParts) {
  EXPECT_EQ(err({{"conv2", {3, 3}}}), EINVAL) << "6 of 8 input channels";
  EXPECT_EQ(err({{"conv2", {0, 8}}}), EINVAL) << "an empty part";
  EXPECT_EQ(err({{"fc1", {2, 2}}}), EINVAL) << "4 of 8 input channels";
  EXPECT_EQ(err({{"conv9", {4, 4}}}), EINVAL);
  EXPECT_EQ(err({{"conv2", {4, 4}}}, {{"conv2", {4, 4}}}), EINVAL) << "split both ways";
  EXPECT_EQ(err({{"conv2", {4, 4}}}), 0);
}

TEST_F(SplitIn, ChosenWhenOneOutputChannelFitsNoRegion) {
  // fc 4096 (16 channels of 16x16) -> 2: one output's 4096 16-bit weights need 4 BRAM18, the
  // regions have 3 each. Three parts of 6, 6 and 4 channels fit one each; SDCI swaps them.
  std::mt19937 rng(11);
  QModel big;
  big.input = {16, 16, 16};
  big.layers = {test::fc("fc", 4096, 2, rng)};
  big.layers[0].in = big.input;
  big.output = {2, 1, 1};
  PlanTarget t = plan_target(*dev);
  for (emu::Resources *r : {&t.region_max, &t.regions[0], &t.regions[1]})
    r->bram18 = 3;
  t.budget.bram18 = 6;
  PlanOptions o;
  o.mode = PlanMode::kSdci;
  const Plan p = make_plan(big, o, t);
  ASSERT_EQ(p.layers.size(), 3u);
  EXPECT_EQ(p.layers[0].in_hi, 6u);
  EXPECT_EQ(p.layers[1].in_hi, 12u);
  EXPECT_TRUE(p.layers[0].layer->acc_out && !p.layers[0].layer->acc_in);
  EXPECT_TRUE(p.layers[2].layer->acc_in && !p.layers[2].layer->acc_out);
  o.mode = PlanMode::kStatic;
  EXPECT_THROW(make_plan(big, o, t), Error) << "two regions cannot hold three parts at once";
  const std::vector<int16_t> in = [] {
    std::vector<int16_t> v(3 * 4096);
    for (size_t i = 0; i < v.size(); ++i)
      v[i] = static_cast<int16_t>(int(i * 7919 % 4001) - 2000);
    return v;
  }();
  Session sess(*dev, big, p, 3);
  std::vector<int16_t> got(3 * 2);
  sess.run(3, in.data(), got.data());
  EXPECT_EQ(got, run_fixed(big, 3, in.data()));
}

}  // namespace
}  // namespace zaccel
