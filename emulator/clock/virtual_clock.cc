#include "clock/virtual_clock.h"

#include <algorithm>
#include <cerrno>
#include <iterator>

#include "util/error.h"

namespace zaccel::emu {
namespace {

// a * kPicosPerSecond / b rounded up, computed in 128 bits; EOVERFLOW past 64 (about 213 days).
Picos scale_up(uint64_t a, uint64_t b) {
  if (b == 0) fail(EINVAL, "zero rate");
  const unsigned __int128 num = static_cast<unsigned __int128>(a) * kPicosPerSecond;
  const unsigned __int128 q = (num + b - 1) / b;
  if (q > UINT64_MAX) fail(EOVERFLOW, "duration beyond the virtual clock's range");
  return static_cast<Picos>(q);
}

}  // namespace

Picos transfer_time(uint64_t bytes, uint64_t bytes_per_s) {
  return scale_up(bytes, bytes_per_s);
}

Picos cycle_time(uint64_t cycles, uint64_t hz) {
  return scale_up(cycles, hz);
}

unsigned VirtualClock::add_resource(std::string name) {
  names_.push_back(std::move(name));
  free_.push_back(0);
  busy_.emplace_back();
  return static_cast<unsigned>(names_.size() - 1);
}

Span VirtualClock::reserve(unsigned resource, Picos ready, Picos duration, SpanKind kind,
                           std::string label) {
  if (resource >= free_.size()) fail(EINVAL, "no resource ", resource);
  std::map<Picos, Picos> &busy = busy_[resource];
  Picos start = ready;
  // The first interval that could overlap [start, ...): the one before ready, if it reaches it.
  auto it = busy.upper_bound(start);
  if (it != busy.begin() && std::prev(it)->second > start) start = std::prev(it)->second;
  while (it != busy.end() && it->first < start + duration) {
    start = std::max(start, it->second);
    ++it;
  }
  const Picos end = start + duration;
  if (duration > 0) busy.emplace(start, end);
  free_[resource] = std::max(free_[resource], end);
  now_ = std::max(now_, end);
  busy_time_[static_cast<size_t>(kind)] += duration;
  return {resource, kind, start, end, std::move(label)};
}

void VirtualClock::forget_before(Picos t) {
  for (std::map<Picos, Picos> &busy : busy_) {
    while (!busy.empty() && busy.begin()->second <= t)
      busy.erase(busy.begin());
  }
}

size_t VirtualClock::remembered() const {
  size_t n = 0;
  for (const auto &busy : busy_)
    n += busy.size();
  return n;
}

}  // namespace zaccel::emu
