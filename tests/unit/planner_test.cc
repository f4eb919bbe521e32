// The weight-mode planner on a small hand-made model: what each mode costs, DAPP's order,
// auto's choice, lanes against the DSP budget, and every error with its errno and message.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ips/ip.h"
#include "plan/planner.h"
#include "util/error.h"

namespace zaccel {
namespace {

using ::testing::HasSubstr;

QLayer conv_layer() {
  QLayer l;
  l.kind = LayerKind::kConv;
  l.name = "conv1";
  l.in = {1, 10, 10};
  l.out = {8, 8, 8};
  l.conv = {l.in, 8, {3, 3, 1, 1, 0, 0, 0, 0}, {4, 16, true}};
  l.wbits = 16;
  l.abits = 16;
  l.weights.assign(8 * 9, 1);
  l.bias.assign(8, 0);
  return l;
}

QLayer fc_layer() {
  QLayer l;
  l.kind = LayerKind::kFc;
  l.name = "fc1";
  l.in = {8, 8, 8};
  l.out = {64, 1, 1};
  l.fc = {512, 64, {4, 16, false}};
  l.wbits = 16;
  l.abits = 16;
  l.weights.assign(512 * 64, 1);  // 32768 x 16 bits: 29 BRAM18
  l.bias.assign(64, 0);
  return l;
}

QModel model() {
  QModel q;
  q.input = {1, 10, 10};
  q.output = {64, 1, 1};
  q.layers = {conv_layer(), fc_layer()};
  return q;
}

PlanTarget target(uint32_t dsp = 64, uint32_t bram = 100, uint64_t ddr = 1'200'000'000) {
  PlanTarget t;
  t.budget = {dsp, bram, 100000, 100000};
  t.region_max = {64, 100, 100000, 100000};
  t.regions = {t.region_max, t.region_max};
  t.pl_clock_hz = 100'000'000;
  t.ddr_bytes_per_s = ddr;
  t.region_dma_bytes_per_s = {t.ddr_bytes_per_s, t.ddr_bytes_per_s};
  return t;
}

int err_of(const PlanOptions &o, const PlanTarget &t, std::string *msg = nullptr) {
  try {
    make_plan(model(), o, t);
  } catch (const Error &e) {
    if (msg) *msg = e.what();
    return e.err();
  }
  return 0;
}

TEST(Planner, ModesCostWhatTheyShould) {
  const QModel q = model();
  PlanOptions o;
  o.mode = PlanMode::kStatic;
  const Plan st = make_plan(q, o, target());
  EXPECT_EQ(st.weight_bytes_per_image, 0u);
  EXPECT_GE(st.total.bram18, 29u);
  o.mode = PlanMode::kDasp;
  const Plan dasp = make_plan(q, o, target());
  EXPECT_EQ(dasp.weight_bytes_per_image, (72 + 32768) * 2u + (8 + 64) * 8u);
  EXPECT_LT(dasp.total.bram18, st.total.bram18);
  // fc1 streams 65 KB per image, 5,500 cycles at 1.2 GB/s: it gets only the lanes that keep
  // up with that, and its DSPs go to conv1.
  const PlannedLayer &fc = dasp.layers[1];
  EXPECT_GT(fc.dma_cycles_per_image, 5000u);
  EXPECT_LE(fc.cycles_per_image, fc.dma_cycles_per_image + 32);
  EXPECT_GT(emu::ip_cycles(fc.ip.id, 1) * fc.ip.id.lanes / (fc.ip.id.lanes - 1),
            fc.dma_cycles_per_image)
      << "one lane fewer and it would fall behind its DMA";
  o.mode = PlanMode::kBatchCached;
  o.batch = 64;
  const Plan cached = make_plan(q, o, target());
  EXPECT_EQ(cached.weight_bytes_per_image, (dasp.weight_bytes_per_image + 63) / 64);
}

TEST(Planner, DappStreamsTheLargestFirst) {
  PlanOptions o;
  o.mode = PlanMode::kDapp;
  const Plan all_fit = make_plan(model(), o, target());
  EXPECT_EQ(all_fit.weight_bytes_per_image, 0u) << "nothing to stream when all fits";
  const Plan tight = make_plan(model(), o, target(64, 20));
  EXPECT_EQ(tight.layers[1].ip.id.weight_mode, uint32_t{DRM_ZACCEL_WEIGHTS_STREAMED});
  EXPECT_EQ(tight.layers[0].ip.id.weight_mode, uint32_t{DRM_ZACCEL_WEIGHTS_EMBEDDED});
  o.stream = {"conv1"};
  const Plan forced = make_plan(model(), o, target());
  EXPECT_EQ(forced.layers[0].ip.id.weight_mode, uint32_t{DRM_ZACCEL_WEIGHTS_STREAMED});
  EXPECT_EQ(forced.layers[1].ip.id.weight_mode, uint32_t{DRM_ZACCEL_WEIGHTS_EMBEDDED});
}

TEST(Planner, AutoPicksTheFastestThatFits) {
  PlanOptions o;
  EXPECT_EQ(make_plan(model(), o, target()).mode, PlanMode::kStatic);
  EXPECT_EQ(make_plan(model(), o, target(64, 20)).mode, PlanMode::kDapp);
}

TEST(Planner, EachRegionsDspsGoToItsLayers) {
  PlanOptions o;
  o.mode = PlanMode::kDasp;
  o.batch = 8;
  const Plan p = make_plan(model(), o, target(128, 100, 1'000'000'000'000));
  // conv1 alone in region 0 and fc1 alone in region 1 beat both in one region; DMA so fast
  // that it bounds nothing.
  EXPECT_EQ(p.layers[0].region, 0u);
  EXPECT_EQ(p.layers[1].region, 1u);
  EXPECT_EQ(p.layers[0].ip.id.lanes, 64u);
  EXPECT_EQ(p.layers[1].ip.id.lanes, 64u);
  const PlanTarget half = target(64, 100, 1'000'000'000'000);  // half the regions' 128
  const Plan h = make_plan(model(), o, half);
  EXPECT_LE(h.total.dsp, 64u);
  // At 1.2 GB/s each region's DMA bounds it: no lane beyond what keeps up with that.
  const Plan slow = make_plan(model(), o, target(128));
  for (const PlannedLayer &l : slow.layers) {
    EXPECT_LT(l.ip.id.lanes, 64u) << l.layer->name;
    EXPECT_LE(l.cycles_per_image, l.dma_cycles_per_image + 32) << l.layer->name;
  }
  EXPECT_LT(slow.total.dsp, p.total.dsp);
}

TEST(Planner, SplitByOutputChannel) {
  PlanOptions o;
  o.mode = PlanMode::kStatic;
  o.split = {{"conv1", {4, 4}}};
  const Plan p = make_plan(model(), o, target());
  ASSERT_EQ(p.layers.size(), 3u) << "conv1 in two IPs, and fc1";
  EXPECT_EQ(p.layers[0].out_lo, 0u);
  EXPECT_EQ(p.layers[0].out_hi, 4u);
  EXPECT_EQ(p.layers[1].out_lo, 4u);
  EXPECT_EQ(p.layers[1].out_hi, 8u);
  EXPECT_TRUE(p.layers[0].split && p.layers[1].split && !p.layers[2].split);
  EXPECT_EQ(p.layers[1].ip.id.out_c, 4u);
  EXPECT_EQ(p.layers[1].layer->weights.size(), 4u * 9) << "the slice's own filters";
  EXPECT_EQ(p.layers[2].source, 1u);
  // fc1's weights (29 BRAM18) fit no region of 20: kept on chip, it is split in two, as few
  // IPs as fit; streamed, it is not.
  PlanTarget t = target(64, 40);
  t.region_max.bram18 = 20;
  t.regions = {t.region_max, t.region_max};
  o.split.clear();
  const Plan on_chip = make_plan(model(), o, t);
  ASSERT_EQ(on_chip.layers.size(), 3u);
  EXPECT_EQ(on_chip.layers[1].out_hi - on_chip.layers[1].out_lo, 32u);
  EXPECT_EQ(on_chip.layers[2].out_lo, 32u);
  EXPECT_EQ(on_chip.weight_bytes_per_image, 0u) << "every weight on chip";
  o.mode = PlanMode::kDasp;
  EXPECT_EQ(make_plan(model(), o, t).layers.size(), 2u);
  std::string msg;
  o = {};
  o.split = {{"conv1", {4, 3}}};
  EXPECT_EQ(err_of(o, target(), &msg), EINVAL);
  EXPECT_THAT(msg, HasSubstr("add up to 7 output channels, it has 8"));
  o.split = {{"fc1", {30, 34}}};
  EXPECT_EQ(err_of(o, target(), &msg), EINVAL);
  EXPECT_THAT(msg, HasSubstr("multiples of 4 output channels"));
  o.split = {{"conv9", {4, 4}}};
  EXPECT_EQ(err_of(o, target(), &msg), EINVAL);
  EXPECT_THAT(msg, HasSubstr("unknown layer 'conv9'"));
}

TEST(Planner, Errors) {
  std::string msg;
  PlanOptions o;
  EXPECT_EQ(err_of(o, target(64, 0), &msg), EINVAL);
  EXPECT_THAT(msg, HasSubstr("budget of zero"));
  o.mode = PlanMode::kStatic;
  EXPECT_EQ(err_of(o, target(64, 20), &msg), ENOSPC);
  EXPECT_THAT(msg, HasSubstr("over); the largest layer is fc1"));
  o.mode = PlanMode::kAuto;
  o.stream = {"conv9"};
  EXPECT_EQ(err_of(o, target(), &msg), EINVAL);
  EXPECT_THAT(msg, HasSubstr("unknown layer 'conv9'"));
  o.stream = {"fc1"};
  o.mode = PlanMode::kDasp;
  EXPECT_EQ(err_of(o, target()), EINVAL) << "--stream is for dapp";
  PlanTarget small = target();
  small.region_max.bram18 = 1;
  o = {};
  EXPECT_EQ(err_of(o, small, &msg), EFBIG);
  EXPECT_THAT(msg, HasSubstr("even streaming"));
  EXPECT_THROW(parse_plan_mode("fast"), Error);
  QModel deep = model();
  QLayer relu;
  relu.kind = LayerKind::kRelu;
  relu.name = "relu";
  relu.in = relu.out = {64, 1, 1};
  deep.layers.resize(2 + 2 * DRM_ZACCEL_MAX_SLOTS, relu);
  try {
    make_plan(deep, {}, target());
    ADD_FAILURE() << "18 layers planned into 2 regions of 8 slots";
  } catch (const Error &e) {
    EXPECT_EQ(e.err(), ENOSPC);
    EXPECT_THAT(e.what(), HasSubstr("need 3 regions, the device has 2"));
  }
}

}  // namespace
}  // namespace zaccel
