// The emulator's virtual clock: work on different resources (the PCAP, each region, DDR)
// overlaps; work on one resource serializes. Reservations are kept until no work can reach
// back to them any more. Times are integer picoseconds, so that rates
// of the board (cycles at 100 MHz, bytes at 145 MB/s) accumulate without rounding drift.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace zaccel::emu {

using Picos = uint64_t;

inline constexpr Picos kPicosPerSecond = 1'000'000'000'000ull;

/// Time to move `bytes` at `bytes_per_s`, rounded up to a whole picosecond.
Picos transfer_time(uint64_t bytes, uint64_t bytes_per_s);
/// Time of `cycles` at `hz`, rounded up.
Picos cycle_time(uint64_t cycles, uint64_t hz);

enum class SpanKind { kReconfig, kDma, kCompute };

struct Span {
  unsigned resource;
  SpanKind kind;
  Picos start, end;
  std::string label;
};

class VirtualClock {
 public:
  /// Resources are numbered in the order added; returns the new one's number.
  unsigned add_resource(std::string name);
  const std::string &resource_name(unsigned r) const { return names_.at(r); }

  /// Reserves `resource` for `duration` in its first idle gap that starts no earlier than
  /// `ready` (work reserved later may fill an earlier gap, as a DMA engine serves whichever
  /// request is ready). Returns the span.
  Span reserve(unsigned resource, Picos ready, Picos duration, SpanKind kind, std::string label);
  /// Forgets the reservations that end by `t`: no later reservation will be ready before it.
  void forget_before(Picos t);
  /// Reservations still remembered, over all resources.
  size_t remembered() const;

  /// When `resource` next becomes free.
  Picos free_at(unsigned resource) const { return free_.at(resource); }
  /// The end of all work so far.
  Picos now() const { return now_; }
  /// Total reserved time of one kind, over all resources.
  Picos busy(SpanKind kind) const { return busy_time_[static_cast<size_t>(kind)]; }

 private:
  std::vector<std::string> names_;
  std::vector<Picos> free_;
  std::vector<std::map<Picos, Picos>> busy_;  ///< per resource: start -> end, disjoint
  Picos busy_time_[3] = {};
  Picos now_ = 0;
};

}  // namespace zaccel::emu
