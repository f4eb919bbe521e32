// How much reconfiguration time other regions spent computing (the PR hidden behind compute),
// over a whole list of spans, or measured as a run goes in memory that does not grow with it.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "run/span.h"

namespace zaccel {

/// Reconfiguration time in `spans` during which a region other than the one reconfigured
/// computed.
uint64_t hidden_pr_ns(const std::vector<TraceSpan> &spans, uint32_t regions);
uint64_t hidden_pr_ns(const std::deque<TraceSpan> &spans, uint32_t regions);

/// hidden_pr_ns of every span a session accounts, batch by batch, keeping `window` batches
/// on either side of the one being settled: a PR span and a compute span overlap only while
/// both their batches are in flight, and a session has at most `window` in flight, so the
/// figure is exact (tests compare it with hidden_pr_ns of every span).
class PrOverlapMeter {
 public:
  PrOverlapMeter(uint32_t regions, size_t window) : regions_(regions), window_(window) {}
  /// A span of the current batch (DMA spans are ignored).
  void add(const TraceSpan &s);
  /// Ends the current batch.
  void end_batch();
  uint64_t hidden_ns() const;

 private:
  struct Span {
    SpanKind kind;
    uint32_t region;
    uint64_t start_ns, end_ns;
  };
  struct Batch {
    std::vector<Span> spans;
    bool settled = false;  ///< its PR spans counted in settled_ns_
  };
  /// Hidden time of the PR spans of `b` against the compute of every batch kept.
  uint64_t hidden_of(const Batch &b) const;

  uint32_t regions_;
  size_t window_;
  std::deque<Batch> batches_{1};  ///< the last is the current one
  uint64_t settled_ns_ = 0;
};

}  // namespace zaccel
