#include "clock/virtual_clock.h"

#include <algorithm>
#include <cerrno>
#include <iterator>

#include "util/error.h"

namespace zaccel::emu {
namespace {

// a * kPicosPerSecond / b rounded up, computed in 128 bits; EOVERFLOW past 64 (about 213 days).
// The 128 bits are two 64-bit halves, as 32-bit ARM has no __int128: the product from 32-bit
// pieces, then the quotient one bit at a time (the remainder stays below b).
Picos scale_up(uint64_t a, uint64_t b) {
  if (b == 0) fail(EINVAL, "zero rate");
  constexpr uint64_t kLow = 0xFFFFFFFF;
  const uint64_t a0 = a & kLow, a1 = a >> 32, m0 = kPicosPerSecond & kLow,
                 m1 = kPicosPerSecond >> 32;
  const uint64_t p00 = a0 * m0, p01 = a0 * m1, p10 = a1 * m0, p11 = a1 * m1;
  const uint64_t mid = (p00 >> 32) + (p01 & kLow) + (p10 & kLow);
  const uint64_t lo = mid << 32 | (p00 & kLow);
  uint64_t rem = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);  // the high half
  if (rem >= b) fail(EOVERFLOW, "duration beyond the virtual clock's range");
  uint64_t q = 0;
  for (int bit = 63; bit >= 0; --bit) {
    const bool carry = rem >> 63;  // rem * 2 + 1 would need a 65th bit: it is at least b
    rem = rem << 1 | (lo >> bit & 1);
    q <<= 1;
    if (carry || rem >= b) {
      rem -= b;
      q |= 1;
    }
  }
  if (rem != 0 && q == UINT64_MAX) fail(EOVERFLOW, "duration beyond the virtual clock's range");
  return q + (rem != 0);
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
