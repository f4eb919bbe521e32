// How much of the reconfiguration time other regions spent computing: the PR hidden behind
// compute. Each region's compute spans are merged into disjoint intervals once; a PR span of
// region r counts the time covered by the compute of the regions other than r.
#include <algorithm>
#include <utility>

#include "run/session.h"

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

}  // namespace

uint64_t hidden_pr_ns(const std::vector<TraceSpan> &spans, uint32_t regions) {
  std::vector<std::vector<Interval>> others(regions);  // compute of every region but r
  for (const TraceSpan &s : spans) {
    if (s.kind != SpanKind::kCompute) continue;
    for (uint32_t r = 0; r < regions; ++r)
      if (r != s.region) others[r].push_back({s.start_ns, s.end_ns});
  }
  for (auto &o : others)
    o = merged(std::move(o));
  uint64_t hidden = 0;
  for (const TraceSpan &s : spans)
    if (s.kind == SpanKind::kPr && s.region < regions)
      hidden += covered(others[s.region], s.start_ns, s.end_ns);
  return hidden;
}

}  // namespace zaccel
