// The edges of a schedule: what each op waits for (schedule.h, wait_edges).
#include <algorithm>
#include <map>
#include <tuple>

#include "schedule/schedule.h"

namespace zaccel::sched {

std::vector<std::vector<size_t>> wait_edges(const std::vector<Op> &ops) {
  using Key = std::tuple<int, uint32_t, uint32_t>;
  const auto key = [](const Fence &f) { return Key{static_cast<int>(f.kind), f.batch, f.index}; };
  std::map<Key, size_t> signalled;                       // fence: its latest signaller
  std::map<uint32_t, size_t> reconfig;                   // region: its latest Reconfig
  std::map<uint32_t, std::vector<size_t>> jobs;          // region: its jobs since that
  std::map<std::pair<uint32_t, uint32_t>, size_t> slot;  // (region, slot): its latest job
  std::vector<std::vector<size_t>> edges(ops.size());
  for (size_t k = 0; k < ops.size(); ++k) {
    std::vector<size_t> &e = edges[k];
    const auto fences = [&](const std::vector<Fence> &waits) {
      for (const Fence &f : waits)
        if (auto it = signalled.find(key(f)); it != signalled.end()) e.push_back(it->second);
    };
    if (const auto *r = std::get_if<Reconfig>(&ops[k])) {
      fences(r->waits);
      e.insert(e.end(), jobs[r->region].begin(), jobs[r->region].end());
      if (auto it = reconfig.find(r->region); it != reconfig.end()) e.push_back(it->second);
      reconfig[r->region] = k;
      jobs[r->region].clear();
      signalled[key(r->signal)] = k;
    } else {
      const auto &s = std::get<Submit>(ops[k]);
      fences(s.waits);
      if (auto it = reconfig.find(s.region); it != reconfig.end()) e.push_back(it->second);
      if (auto it = slot.find({s.region, s.slot}); it != slot.end()) e.push_back(it->second);
      slot[{s.region, s.slot}] = k;
      jobs[s.region].push_back(k);
      signalled[key(s.signal)] = k;
    }
    std::sort(e.begin(), e.end());
    e.erase(std::unique(e.begin(), e.end()), e.end());
  }
  return edges;
}

}  // namespace zaccel::sched
