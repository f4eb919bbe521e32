// SDCI on the emulated PYNQ-Z2: the planner gives every IP a region in turn; a session swaps
// them sweep by sweep, bit-identical to the reference kernels, reconfiguring a region only when
// it lacks the IP, and with loads overlapping the other region's compute (the trace shows it).
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include "lib/build.h"
#include "model/fixed_exec.h"
#include "run/session.h"
#include "run/target.h"
#include "small_model.h"
#include "util/error.h"

namespace zaccel {
namespace {

using test::inputs;
using test::model;

struct Sdci : ::testing::Test {
  void SetUp() override { dev = dev::Device::open("emu:pynq-z2"); }
  Plan plan(const QModel &q, uint32_t sweep,
            std::map<std::string, std::vector<uint32_t>> split = {}, uint32_t job = 2) {
    PlanOptions o;
    o.mode = PlanMode::kSdci;
    o.batch = job;
    o.sweep = sweep;
    o.split = std::move(split);
    return make_plan(q, o, plan_target(*dev));
  }
  std::unique_ptr<dev::Device> dev;
};

TEST_F(Sdci, PlanGivesEachIpARegionInTurn) {
  const QModel q = model();
  const Plan p = plan(q, 8);
  ASSERT_EQ(p.layers.size(), 3u);
  const PlanTarget t = plan_target(*dev);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(p.layers[i].region, i % 2);
    EXPECT_EQ(p.layers[i].slot, 0u);
    EXPECT_LE(p.layers[i].use.dsp, t.regions[0].dsp);
    EXPECT_EQ(p.layers[i].ip.id.weight_mode, uint32_t{DRM_ZACCEL_WEIGHTS_EMBEDDED});
  }
  EXPECT_EQ(p.sweep, 8u);
  EXPECT_NEAR(p.pr_ns_per_image, 3 * t.region_pr_ns[0] / 8, 1);
  // Longer sweeps amortize the loads.
  EXPECT_LT(plan(q, 64).critical_ns_per_image, p.critical_ns_per_image);
}

TEST_F(Sdci, SweepsMatchTheReferenceAndOverlapLoadsWithCompute) {
  const QModel q = model();
  const size_t n = 40;
  const std::vector<int16_t> in = inputs(n), want = run_fixed(q, n, in.data());
  Session s(*dev, q, plan(q, 8), 4);  // sweeps of 2 batches of 4 images, jobs of 2
  std::vector<int16_t> got(n * 10);
  s.run(n, in.data(), got.data());
  EXPECT_EQ(got, want);
  EXPECT_EQ(s.stats().reconfigs, 3u * 5) << "every IP once per sweep of 8 images";
  EXPECT_EQ(s.stats().jobs, 3u * 20);
  // Region 1's first load runs while region 0 computes conv1.
  EXPECT_GT(hidden_pr_ns(s.spans(), 2), 0u);
  uint32_t loads[2] = {0, 0};
  for (const TraceSpan &span : s.spans())
    if (span.kind == SpanKind::kPr) ++loads[span.region];
  EXPECT_GT(loads[0], 0u);
  EXPECT_GT(loads[1], 0u) << "the regions take the IPs in turn";
}

TEST_F(Sdci, ARegionHoldingTheIpIsNotReloaded) {
  QModel q = model();
  q.layers.pop_back();  // two IPs, two regions: loaded once, kept
  q.output = q.layers.back().out;
  const size_t n = 24;
  const std::vector<int16_t> in = inputs(n), want = run_fixed(q, n, in.data());
  Session s(*dev, q, plan(q, 4), 4);
  std::vector<int16_t> got(want.size());
  s.run(n, in.data(), got.data());
  s.run(n, in.data(), got.data());
  EXPECT_EQ(got, want);
  EXPECT_EQ(s.stats().reconfigs, 2u);
}

TEST_F(Sdci, SplitLayersSwapToo) {
  const QModel q = model();
  const size_t n = 16;
  const std::vector<int16_t> in = inputs(n), want = run_fixed(q, n, in.data());
  const Plan p = plan(q, 8, {{"conv2", {4, 4}}});
  ASSERT_EQ(p.layers.size(), 4u);
  Session s(*dev, q, p, 8);
  std::vector<int16_t> got(want.size());
  s.run(n, in.data(), got.data());
  EXPECT_EQ(got, want);
  EXPECT_EQ(s.stats().reconfigs, 4u * 2);
}

TEST_F(Sdci, AFailedLoadOrJobIsReportedAndTheNextRunRecovers) {
  const QModel q = model();
  const size_t n = 16;
  const std::vector<int16_t> in = inputs(n), want = run_fixed(q, n, in.data());
  Session s(*dev, q, plan(q, 8), 4);
  std::vector<int16_t> got(want.size());
  for (const auto &[fault, err] :
       {std::pair{emu::Fault::kPrCrc, EBADMSG}, std::pair{emu::Fault::kIpHang, ETIMEDOUT}}) {
    ASSERT_EQ(dev->backend().inject_fault(1, fault), 0);
    try {
      s.run(n, in.data(), got.data());
      ADD_FAILURE() << "the fault went unnoticed";
    } catch (const Error &e) {
      EXPECT_EQ(e.err(), err) << e.what();
      EXPECT_NE(std::string(e.what()).find("region 1"), std::string::npos) << e.what();
    }
    std::fill(got.begin(), got.end(), 0);
    s.run(n, in.data(), got.data());  // reloads what it needs, region 1 included
    EXPECT_EQ(got, want);
  }
}

/// An IP library built from the model: every layer, and conv2 split in two.
struct SdciLibrary : Sdci {
  void SetUp() override {
    Sdci::SetUp();
    char tmpl[] = "/tmp/zaccel-sdci-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir = tmpl;
    lib::IpSpecs specs;
    specs.board = "pynq-z2";
    specs.ips = {{"conv1", "conv1", 0, 0, DRM_ZACCEL_WEIGHTS_EMBEDDED, 8, {}},
                 {"conv2", "conv2", 0, 0, DRM_ZACCEL_WEIGHTS_EMBEDDED, 16, {}},
                 {"conv2_a", "conv2", 0, 4, DRM_ZACCEL_WEIGHTS_EMBEDDED, 8, {}},
                 {"conv2_b", "conv2", 4, 8, DRM_ZACCEL_WEIGHTS_EMBEDDED, 8, {}},
                 {"fc1", "fc1", 0, 0, DRM_ZACCEL_WEIGHTS_STREAMED, 4, {}}};
    lib::build_library(q, *dev, specs, {(dir / "lib").string(), ""});
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  PlanOptions options(std::map<std::string, std::vector<uint32_t>> split = {}) {
    PlanOptions o;
    o.mode = PlanMode::kSdci;
    o.batch = 2;
    o.sweep = 8;
    o.split = std::move(split);
    o.library = std::make_shared<const lib::Library>(lib::Library::open((dir / "lib").string()));
    return o;
  }
  int plan_err(const QModel &m, const PlanOptions &o) {
    try {
      make_plan(m, o, plan_target(*dev));
    } catch (const Error &e) {
      return e.err();
    }
    return 0;
  }
  const QModel q = model();
  std::filesystem::path dir;
};

TEST_F(SdciLibrary, SessionsTakeTheLibrarysIps) {
  const size_t n = 16;
  const std::vector<int16_t> in = inputs(n), want = run_fixed(q, n, in.data());
  for (const auto &split :
       std::vector<std::map<std::string, std::vector<uint32_t>>>{{}, {{"conv2", {4, 4}}}}) {
    const Plan p = make_plan(q, options(split), plan_target(*dev));
    ASSERT_EQ(p.layers.size(), split.empty() ? 3u : 4u);
    for (const PlannedLayer &l : p.layers) {
      ASSERT_NE(l.lib_ip, nullptr);
      EXPECT_EQ(l.ip.id.lanes, l.lib_ip->id.lanes) << "the library's IP, not the planner's";
    }
    Session s(*dev, q, p, 8);
    std::vector<int16_t> got(want.size());
    s.run(n, in.data(), got.data());
    EXPECT_EQ(got, want);
  }
}

TEST_F(SdciLibrary, RefusesWhatItCannotTrust) {
  // A library without an IP for the planned split, and one built from other weights.
  EXPECT_EQ(plan_err(q, options({{"conv2", {6, 2}}})), ENOENT);
  QModel other = q;
  other.layers[0].weights[0] ^= 1;
  EXPECT_EQ(plan_err(other, options()), EINVAL);
  PlanOptions wrong_mode = options();
  wrong_mode.mode = PlanMode::kStatic;
  EXPECT_EQ(plan_err(q, wrong_mode), EINVAL);
  // A partial changed on disk after the plan: the session refuses it before any load.
  const Plan p = make_plan(q, options(), plan_target(*dev));
  {
    std::fstream f(dir / "lib" / "conv2" / "rp1.bin",
                   std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(5000);
    f.put('\x5a');
  }
  try {
    Session s(*dev, q, p, 8);
    ADD_FAILURE() << "a tampered partial was accepted";
  } catch (const Error &e) {
    EXPECT_EQ(e.err(), EBADMSG) << e.what();
  }
  // The device is still usable: an SDCI session with built partials runs.
  PlanOptions built = options();
  built.library.reset();
  Session s(*dev, q, make_plan(q, built, plan_target(*dev)), 8);
  const std::vector<int16_t> in = inputs(8);
  std::vector<int16_t> got(8 * 10);
  s.run(8, in.data(), got.data());
  EXPECT_EQ(got, run_fixed(q, 8, in.data()));
}

TEST(HiddenPr, CountsOtherRegionsComputeOnce) {
  const std::vector<TraceSpan> spans = {
      {SpanKind::kPr, 0, "b", 0, 100},        {SpanKind::kCompute, 1, "a", 50, 150},
      {SpanKind::kCompute, 1, "a", 60, 80},   {SpanKind::kCompute, 0, "a", 0, 100},
      {SpanKind::kDma, 1, "a in", 0, 50},     {SpanKind::kPr, 1, "c", 200, 300},
      {SpanKind::kCompute, 0, "b", 290, 400},
  };
  EXPECT_EQ(hidden_pr_ns(spans, 2), 50u + 10u);
}

}  // namespace
}  // namespace zaccel
