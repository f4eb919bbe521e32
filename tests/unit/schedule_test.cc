// The schedule stage with no device: the ops the two builders give for the small model
// (conv1, conv2, fc1) planned on two regions, and the edges between them (which job or load
// each op waits for).
#include <gtest/gtest.h>

#include <algorithm>
#include <variant>

#include "ips/resources.h"
#include "schedule/schedule.h"
#include "small_model.h"

namespace zaccel {
namespace {

using sched::Op;
using sched::Reconfig;
using sched::Submit;

// Two regions, each a PYNQ-Z2 region's budget and rates, as data.
PlanTarget two_regions() {
  PlanTarget t;
  const emu::Resources region{80, 60, 16000, 32000};
  t.regions = {region, region};
  t.budget = region + region;
  t.region_max = region;
  t.pl_clock_hz = 100'000'000;
  t.ddr_bytes_per_s = 1'200'000'000;
  t.region_dma_bytes_per_s = {800'000'000, 800'000'000};
  t.region_pr_ns = {1e6, 1e6};
  return t;
}

struct Schedule : ::testing::Test {
  Plan plan(PlanMode mode, uint32_t sweep = 0) {
    PlanOptions o;
    o.mode = mode;
    o.batch = 2;  // images per job
    o.sweep = sweep;
    Plan p = make_plan(q, o, two_regions());
    p.regions = 2;
    return p;
  }
  // The index of the job of IP `unit` on images from `first_img` of batch `batch`.
  static size_t job_of(const std::vector<Op> &ops, uint32_t unit, uint32_t first_img,
                       uint32_t batch = 0) {
    for (size_t k = 0; k < ops.size(); ++k) {
      const auto *s = std::get_if<Submit>(&ops[k]);
      if (s && s->unit == unit && s->first_img == first_img && s->batch == batch) return k;
    }
    ADD_FAILURE() << "no job of IP " << unit << " from image " << first_img;
    return ops.size();
  }
  // The index of the `k`th load of `ops`.
  static size_t load(const std::vector<Op> &ops, size_t k) {
    for (size_t i = 0; i < ops.size(); ++i)
      if (std::holds_alternative<Reconfig>(ops[i]) && k-- == 0) return i;
    ADD_FAILURE() << "too few loads";
    return ops.size();
  }
  static bool waits(const std::vector<std::vector<size_t>> &edges, size_t op, size_t on) {
    return std::find(edges.at(op).begin(), edges.at(op).end(), on) != edges.at(op).end();
  }

  QModel q = test::model();
};

TEST_F(Schedule, ResidentBatchLoadsThenPipelinesJobs) {
  const Plan p = plan(PlanMode::kStatic);
  const sched::BatchLayout layout(q, p, 4, 2);
  const std::vector<Op> ops = sched::resident_batch(q, p, layout, 3, true);
  ASSERT_EQ(ops.size(), p.groups.size() + 2 * 3) << "a load per region, 3 IPs x 2 jobs";
  const auto edges = sched::wait_edges(ops);
  const size_t c1 = job_of(ops, 0, 0), c2 = job_of(ops, 1, 0), f1 = job_of(ops, 2, 0);
  const size_t c1b = job_of(ops, 0, 2), c2b = job_of(ops, 1, 2), f1b = job_of(ops, 2, 2);
  EXPECT_TRUE(waits(edges, c1, load(ops, p.layers[0].region))) << "its region's load";
  EXPECT_TRUE(waits(edges, c2, c1)) << "conv2's first job reads conv1's";
  EXPECT_TRUE(waits(edges, f1, c2));
  EXPECT_FALSE(waits(edges, f1, c1)) << "fc1 reads only conv2's output";
  EXPECT_TRUE(waits(edges, c2b, c1b)) << "the second job of images reads the second";
  EXPECT_TRUE(waits(edges, f1b, f1)) << "jobs on one slot run in order";
  EXPECT_TRUE(edges[c1].size() == 1) << "conv1's first job waits for its load alone";
  // The last job ends the batch; the second of three images' job has one image.
  const auto &last = std::get<Submit>(ops.back());
  EXPECT_EQ(last.signal, (sched::Fence{sched::FenceKind::kBatchDone, 0, 0}));
  EXPECT_EQ(last.regs[DRM_ZACCEL_JOB_REG_IMAGES], 1u);
  EXPECT_EQ(std::get<Submit>(ops[c1]).regs[DRM_ZACCEL_JOB_REG_IMAGES], 2u);
}

TEST_F(Schedule, LoadedRegionsAreNotLoadedAgain) {
  const Plan p = plan(PlanMode::kStatic);
  const sched::BatchLayout layout(q, p, 4, 2);
  const std::vector<Op> ops = sched::resident_batch(q, p, layout, 4, false);
  for (const Op &op : ops) {
    ASSERT_TRUE(std::holds_alternative<Submit>(op));
    for (const sched::Fence &f : std::get<Submit>(op).waits)
      EXPECT_NE(f.kind, sched::FenceKind::kLoaded);
  }
  EXPECT_TRUE(sched::wait_edges(ops)[job_of(ops, 0, 0)].empty()) << "nothing before it";
}

TEST_F(Schedule, SdciLoadsEachIpBehindThePreviousOnesJobs) {
  const Plan p = plan(PlanMode::kSdci, 8);
  const sched::BatchLayout layout(q, p, 4, 2);
  sched::SdciState st(2);
  const std::vector<Op> ops = sched::sdci_sweep(q, p, layout, {4, 4}, st);
  ASSERT_EQ(ops.size(), 3 + 3 * 4u) << "3 loads, 3 IPs x 2 batches x 2 jobs";
  const auto edges = sched::wait_edges(ops);
  // conv1 in region 0, conv2 in region 1, then fc1 in region 0 again.
  const auto &pr_fc1 = std::get<Reconfig>(ops[load(ops, 2)]);
  EXPECT_EQ(pr_fc1.region, 0u);
  EXPECT_EQ(pr_fc1.unit, 2);
  for (uint32_t b = 0; b < 2; ++b) {
    for (uint32_t img : {0u, 2u}) {
      EXPECT_TRUE(waits(edges, load(ops, 2), job_of(ops, 0, img, b)))
          << "the load of fc1 into region 0 waits for conv1's job " << img << " of batch " << b;
      EXPECT_FALSE(waits(edges, load(ops, 2), job_of(ops, 1, img, b))) << "conv2 is in region 1";
      EXPECT_TRUE(waits(edges, job_of(ops, 1, img, b), job_of(ops, 0, img, b)))
          << "conv2 on images " << img << " of batch " << b << " waits for conv1 on them";
    }
  }
  EXPECT_TRUE(waits(edges, job_of(ops, 1, 0), load(ops, 1))) << "conv2 waits for its load";
  EXPECT_TRUE(waits(edges, job_of(ops, 2, 0), load(ops, 2)));
  EXPECT_EQ(st.holds, (std::vector<long>{2, 1}));
  // The next sweep finds conv1 in neither region: it goes to region 1 (after fc1's), and
  // every IP is loaded again.
  const std::vector<Op> next = sched::sdci_sweep(q, p, layout, {4}, st);
  EXPECT_EQ(std::get<Reconfig>(next[load(next, 0)]).region, 1u);
  EXPECT_EQ(std::count_if(next.begin(), next.end(),
                          [](const Op &op) { return std::holds_alternative<Reconfig>(op); }),
            3);
}

TEST_F(Schedule, SdciDoesNotReloadAnIpARegionHolds) {
  const Plan p = plan(PlanMode::kSdci, 8);
  const sched::BatchLayout layout(q, p, 4, 2);
  sched::SdciState st(3);  // a region per IP: the first sweep loads them, the next none
  EXPECT_EQ(sched::sdci_sweep(q, p, layout, {4, 4}, st).size(), 3 + 12u);
  const std::vector<Op> next = sched::sdci_sweep(q, p, layout, {4, 4}, st);
  EXPECT_EQ(next.size(), 12u);
  const auto edges = sched::wait_edges(next);
  EXPECT_TRUE(edges[job_of(next, 0, 0)].empty());
}

}  // namespace
}  // namespace zaccel
