// How much of the reconfiguration time other regions spent computing: the PR hidden behind
// compute. Each region's compute spans are merged into disjoint intervals once; a PR span of
// region r counts the time covered by the compute of the regions other than r.
#include "run/overlap.h"

#include <algorithm>
#include <utility>

namespace zaccel {
namespace {

using Interval = std::pair<uint64_t, uint64_t>;

/// The union of `v` as sorted disjoint intervals.
std::vector<Interval> merged(std::vector<Interval> v) {
  std::sort(v.begin(), v.end());
  std::vector<Interval> out;
  for (const Interval &i : v) {
    if (!out.empty() && i.first <= out.back().second)
      out.back().second = std::max(out.back().second, i.second);
    else
      out.push_back(i);
  }
  return out;
}

/// Time of [a, b) that `u` (sorted, disjoint) covers.
uint64_t covered(const std::vector<Interval> &u, uint64_t a, uint64_t b) {
  uint64_t sum = 0;
  auto it = std::lower_bound(u.begin(), u.end(), Interval{a, 0});
  if (it != u.begin()) --it;
  for (; it != u.end() && it->first < b; ++it)
    if (it->second > a) sum += std::min(b, it->second) - std::max(a, it->first);
  return sum;
}

/// Per region r, the merged compute of every region but r, from the spans `each` visits.
template <typename Each>
std::vector<std::vector<Interval>> others_compute(uint32_t regions, Each each) {
  std::vector<std::vector<Interval>> others(regions);
  each([&](SpanKind kind, uint32_t region, uint64_t start, uint64_t end) {
    if (kind != SpanKind::kCompute) return;
    for (uint32_t r = 0; r < regions; ++r)
      if (r != region) others[r].push_back({start, end});
  });
  for (auto &o : others)
    o = merged(std::move(o));
  return others;
}

template <typename Spans>
uint64_t hidden_in(const Spans &spans, uint32_t regions) {
  const auto others = others_compute(regions, [&](auto visit) {
    for (const TraceSpan &s : spans)
      visit(s.kind, s.region, s.start_ns, s.end_ns);
  });
  uint64_t hidden = 0;
  for (const TraceSpan &s : spans)
    if (s.kind == SpanKind::kPr && s.region < regions)
      hidden += covered(others[s.region], s.start_ns, s.end_ns);
  return hidden;
}

}  // namespace

uint64_t hidden_pr_ns(const std::vector<TraceSpan> &spans, uint32_t regions) {
  return hidden_in(spans, regions);
}

uint64_t hidden_pr_ns(const std::deque<TraceSpan> &spans, uint32_t regions) {
  return hidden_in(spans, regions);
}

void PrOverlapMeter::add(const TraceSpan &s) {
  if (s.kind != SpanKind::kDma)
    batches_.back().spans.push_back({s.kind, s.region, s.start_ns, s.end_ns});
}

void PrOverlapMeter::end_batch() {
  batches_.emplace_back();
  // Keep `window_` ended batches on either side of the one to settle, then settle it (and,
  // the first time, those before it) and drop the oldest.
  if (batches_.size() < 2 * window_ + 2) return;
  for (size_t i = 0; i <= window_; ++i) {
    if (batches_[i].settled) continue;
    settled_ns_ += hidden_of(batches_[i]);
    batches_[i].settled = true;
  }
  batches_.pop_front();
}

uint64_t PrOverlapMeter::hidden_of(const Batch &b) const {
  bool any_pr = false;
  for (const Span &s : b.spans)
    any_pr = any_pr || s.kind == SpanKind::kPr;
  if (!any_pr) return 0;
  const auto others = others_compute(regions_, [&](auto visit) {
    for (const Batch &k : batches_)
      for (const Span &s : k.spans)
        visit(s.kind, s.region, s.start_ns, s.end_ns);
  });
  uint64_t hidden = 0;
  for (const Span &s : b.spans)
    if (s.kind == SpanKind::kPr && s.region < regions_)
      hidden += covered(others[s.region], s.start_ns, s.end_ns);
  return hidden;
}

uint64_t PrOverlapMeter::hidden_ns() const {
  uint64_t hidden = settled_ns_;
  for (const Batch &b : batches_)
    if (!b.settled) hidden += hidden_of(b);
  return hidden;
}

}  // namespace zaccel
