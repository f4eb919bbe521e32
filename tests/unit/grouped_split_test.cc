// A grouped convolution cut by output channel between its groups: each slice is a grouped
// conv of fewer groups over its groups' input channels, which its IP reads strided from the
// layer's input (register 4). Bit-identical to the whole layer in every weight mode and under
// SDCI; a cut inside a group is refused.
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

// conv 8x10x10 -> 8x8x8 in `groups` groups, 3x3; fc 512 -> 10.
QModel grouped(uint32_t groups) {
  std::mt19937 rng(5);
  QLayer c = test::conv("dw", {8, 10, 10}, 8, rng);
  c.conv.groups = groups;
  c.weights.resize(size_t{8} * (8 / groups) * 9);
  QLayer f = test::fc("fc1", 8 * 8 * 8, 10, rng);
  f.in = {8, 8, 8};
  QModel q;
  q.input = {8, 10, 10};
  q.layers = {c, f};
  q.output = {10, 1, 1};
  return q;
}

std::vector<int16_t> images(size_t n) {
  std::mt19937 rng(9);
  std::uniform_int_distribution<int> v(-2000, 2000);
  std::vector<int16_t> in(n * 800);
  for (int16_t &x : in)
    x = static_cast<int16_t>(v(rng));
  return in;
}

TEST(GroupedSplit, SliceTakesWholeGroupsAndTheirInputs) {
  const QModel q = grouped(4);  // 2 output and 2 input channels a group
  const QLayer s = slice_out_channels(q.layers[0], 2, 6);
  EXPECT_EQ(s.conv.groups, 2u);
  EXPECT_EQ(s.in.c, 4u);
  EXPECT_EQ(s.conv.in.c, 4u);
  EXPECT_EQ(s.weights.size(), 4u * 2 * 9);
  EXPECT_EQ(s.weights[0], q.layers[0].weights[2 * 2 * 9]);
  EXPECT_EQ(slice_inputs(q.layers[0], 2, 6), std::pair(2u, 6u));
  EXPECT_THROW(slice_out_channels(q.layers[0], 1, 3), Error) << "cuts group 0";
  EXPECT_THROW(slice_in_channels(q.layers[0], 0, 4, true, false), Error);
}

TEST(GroupedSplit, EveryModeIsBitIdentical) {
  auto dev = dev::Device::open("emu:pynq-z2");
  for (const uint32_t groups : {8u, 4u}) {
    const QModel q = grouped(groups);
    const size_t n = 12;
    const std::vector<int16_t> in = images(n), want = run_fixed(q, n, in.data());
    for (PlanMode mode :
         {PlanMode::kStatic, PlanMode::kDasp, PlanMode::kBatchCached, PlanMode::kSdci}) {
      PlanOptions o;
      o.mode = mode;
      o.batch = 2;
      o.sweep = 8;
      o.split["dw"] = {2, 4, 2};
      const Plan p = make_plan(q, o, plan_target(*dev));
      ASSERT_EQ(p.layers.size(), 4u);
      EXPECT_EQ(p.layers[1].in_lo, 2u);
      EXPECT_EQ(p.layers[1].in_hi, 6u);
      Session s(*dev, q, p, 4);
      std::vector<int16_t> got(want.size());
      s.run(n, in.data(), got.data());
      EXPECT_EQ(got, want) << plan_mode_name(mode) << ", " << groups << " groups";
    }
  }
}

TEST(GroupedSplit, ACutInsideAGroupIsRefused) {
  auto dev = dev::Device::open("emu:pynq-z2");
  const QModel q = grouped(4);
  PlanOptions o;
  o.mode = PlanMode::kStatic;
  o.split["dw"] = {3, 5};
  try {
    make_plan(q, o, plan_target(*dev));
    ADD_FAILURE() << "planned";
  } catch (const Error &e) {
    EXPECT_EQ(e.err(), EINVAL);
  }
}

}  // namespace
}  // namespace zaccel
