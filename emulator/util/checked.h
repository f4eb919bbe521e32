// Overflow-checked unsigned 64-bit arithmetic, for sizes and extents computed from what
// userspace controls (identity blocks, job registers): a Checked value remembers whether any
// step of computing it wrapped, so that a whole expression is written once and tested once.
// The driver does the same with check_mul_overflow() and check_add_overflow().
#pragma once

#include <cstdint>

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

}  // namespace zaccel
