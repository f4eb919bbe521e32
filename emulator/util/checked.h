// Overflow-checked unsigned 64-bit arithmetic, for sizes and extents computed from what
// userspace controls (identity blocks, job registers): a Checked value remembers whether any
// step of computing it wrapped, so that a whole expression is written once and tested once.
// The driver does the same with check_mul_overflow() and check_add_overflow().
#pragma once

#include <cerrno>
#include <cstddef>
#include <cstdint>

#include "util/error.h"

namespace zaccel {

class Checked {
 public:
  constexpr Checked(uint64_t v) : v_(v) {}  // NOLINT: implicit, so that `Checked{a} * b` reads

  /// False if computing the value overflowed (or went below zero) at any step.
  constexpr bool ok() const { return ok_; }
  /// The value; meaningful only if ok().
  constexpr uint64_t value() const { return v_; }
  /// True if the value is known and at most `max`.
  constexpr bool at_most(uint64_t max) const { return ok_ && v_ <= max; }
  /// The value, or `fallback` if it overflowed.
  constexpr uint64_t value_or(uint64_t fallback) const { return ok_ ? v_ : fallback; }

  friend constexpr Checked operator+(Checked a, Checked b) {
    Checked r(0);
    r.ok_ = a.ok_ && b.ok_ && !__builtin_add_overflow(a.v_, b.v_, &r.v_);
    return r;
  }
  friend constexpr Checked operator-(Checked a, Checked b) {
    Checked r(0);
    r.ok_ = a.ok_ && b.ok_ && !__builtin_sub_overflow(a.v_, b.v_, &r.v_);
    return r;
  }
  friend constexpr Checked operator*(Checked a, Checked b) {
    Checked r(0);
    r.ok_ = a.ok_ && b.ok_ && !__builtin_mul_overflow(a.v_, b.v_, &r.v_);
    return r;
  }

 private:
  uint64_t v_;
  bool ok_ = true;
};

/// `v`, a count or size computed in 64 bits, as a size of host memory (an allocation, a copy, a
/// mapping). The same value on 64-bit hosts; where size_t has 32 bits (armhf) a value past it
/// fails with ENOMEM instead of wrapping into a smaller buffer than the one checked.
inline size_t host_size(uint64_t v) {
  if constexpr (sizeof(size_t) < sizeof(uint64_t)) {
    if (v > SIZE_MAX) fail(ENOMEM, v, " does not fit in this host's size_t");
  }
  return static_cast<size_t>(v);
}

}  // namespace zaccel
