// The virtual clock: overlap across resources, serialization on one, exact rate arithmetic.
#include <gtest/gtest.h>

#include "clock/virtual_clock.h"
#include "util/error.h"

namespace zaccel::emu {
namespace {

TEST(VirtualClock, RatesAreExact) {
  EXPECT_EQ(cycle_time(1, 100'000'000), 10'000u);  // 10 ns at 100 MHz
  EXPECT_EQ(cycle_time(3, 300'000'000), 10'000u);
  EXPECT_EQ(transfer_time(145'000'000, 145'000'000), kPicosPerSecond);
  EXPECT_EQ(transfer_time(1, 3), 333'333'333'334u);  // rounded up
  EXPECT_EQ(transfer_time(0, 7), 0u);
  EXPECT_THROW(transfer_time(1, 0), Error);
  EXPECT_THROW(transfer_time(UINT64_MAX, 1), Error);
  // Products past 64 bits (the 128-bit arithmetic is two 64-bit halves, also on 32-bit ARM).
  EXPECT_EQ(transfer_time(uint64_t{1} << 40, 2'100'000'000), 523'576'965'607'620u);
  EXPECT_EQ(transfer_time(UINT64_MAX, UINT64_MAX), kPicosPerSecond);
  EXPECT_EQ(transfer_time(INT64_MAX, UINT64_MAX), 500'000'000'000u);  // 0.4999... s, rounded up
  EXPECT_EQ(cycle_time(18'446'744'073, 1'000), 18'446'744'073'000'000'000u);
  EXPECT_THROW(cycle_time(18'446'744'074, 1'000), Error);
  // Quotient 2^64 - 1 exactly, then 2^64 - 1 and a remainder, which rounds up past 64 bits.
  EXPECT_EQ(transfer_time(18'446'744'073'691'104'870u, 999'999'999'999), UINT64_MAX);
  EXPECT_THROW(transfer_time(18'446'744'073'691'104'871u, 999'999'999'999), Error);
}

TEST(VirtualClock, DifferentResourcesOverlapSameResourceSerializes) {
  VirtualClock c;
  const unsigned pcap = c.add_resource("pcap"), rp0 = c.add_resource("rp0");
  const Span pr = c.reserve(pcap, 0, 500, SpanKind::kReconfig, "pr rp1");
  const Span job = c.reserve(rp0, 0, 300, SpanKind::kCompute, "conv1");
  EXPECT_EQ(pr.start, 0u);
  EXPECT_EQ(job.start, 0u);  // overlaps the PR
  const Span job2 = c.reserve(rp0, 100, 300, SpanKind::kCompute, "conv1 again");
  EXPECT_EQ(job2.start, 300u);  // waits for the region
  EXPECT_EQ(job2.end, 600u);
  const Span late = c.reserve(pcap, 1000, 10, SpanKind::kReconfig, "pr rp0");
  EXPECT_EQ(late.start, 1000u);  // waits for its dependency
  EXPECT_EQ(c.now(), 1010u);
  EXPECT_EQ(c.busy(SpanKind::kCompute), 600u);
  EXPECT_EQ(c.busy(SpanKind::kReconfig), 510u);
  EXPECT_EQ(c.remembered(), 4u);
  c.forget_before(500);
  EXPECT_EQ(c.remembered(), 2u) << "the PR to 500 and the job to 300 are past";
  EXPECT_EQ(c.resource_name(pcap), "pcap");
  EXPECT_THROW(c.reserve(7, 0, 1, SpanKind::kDma, "x"), Error);
}

}  // namespace
}  // namespace zaccel::emu

namespace zaccel::emu {
namespace {

TEST(VirtualClock, LaterWorkFillsAnEarlierGap) {
  VirtualClock c;
  const unsigned ddr = c.add_resource("ddr");
  c.reserve(ddr, 0, 10, SpanKind::kDma, "a in");
  c.reserve(ddr, 50, 10, SpanKind::kDma, "a out");
  const Span b = c.reserve(ddr, 0, 20, SpanKind::kDma, "b in");
  EXPECT_EQ(b.start, 10u) << "fits between 10 and 50";
  const Span big = c.reserve(ddr, 0, 30, SpanKind::kDma, "too big for the gap left");
  EXPECT_EQ(big.start, 60u);
  EXPECT_EQ(c.free_at(ddr), 90u);
  const Span late = c.reserve(ddr, 55, 1, SpanKind::kDma, "inside busy time");
  EXPECT_EQ(late.start, 90u);
  c.forget_before(60);
  EXPECT_EQ(c.reserve(ddr, 60, 1, SpanKind::kDma, "after forgetting").start, 91u)
      << "what is remembered still serializes";
}

}  // namespace
}  // namespace zaccel::emu
