// Fixed-point arithmetic shared by every IP kernel (as HLS ap_fixed with AP_RND, AP_SAT).
//
// A value with `bits` bits and `frac` fractional bits is the integer q in
// [-2^(bits-1), 2^(bits-1) - 1] standing for q * 2^-frac. Products accumulate in a wide
// accumulator (modelled by int64; the quantizer proves the DSP48E1's 48 bits never overflow),
// then are requantized: shifted right with round-half-up, saturated, optionally clamped at 0.
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>

#include "kernels/activation.h"

namespace zaccel::kernels {

/// Widest activation or weight the kernels store (int16_t).
inline constexpr unsigned kMaxBits = 16;
/// Narrowest bit width the kernels accept.
inline constexpr unsigned kMinBits = 2;
/// Accumulator width of the fabric (DSP48E1 P register).
inline constexpr unsigned kAccBits = 48;

/// A MAC kernel as a part of a layer split by input channel: the partial sums it adds (null:
/// none), and where it writes its own instead of requantized outputs (null: it requantizes).
/// Both hold one 64-bit value per output value, image after image.
struct Cascade {
  const int64_t *acc_in = nullptr;
  int64_t *acc_out = nullptr;
};

/// How an accumulator becomes an output value.
struct Requant {
  int32_t shift = 0;       ///< accumulator frac bits minus output (or table input) frac bits
  uint32_t bits = 16;      ///< output bit width, kMinBits..kMaxBits
  bool relu = false;       ///< clamp negative results to zero (fused ReLU)
  Act act = Act::kNone;    ///< activation after requantization (kernels/activation.h)
  int16_t lo = 0, hi = 0;  ///< Act::kClip's bounds, lo <= hi
  uint16_t slope = 0;      ///< Act::kLeaky's slope, Act::kHardSigmoid's a: Q0.15, <= 32767
  int16_t offset = 0;      ///< Act::kHardSigmoid's b, Q0.15
  int32_t frac = 0;        ///< Act::kHardSwish: the output's fractional bits, |frac| <= 32
  const int16_t *table = nullptr;  ///< a table activation's act_table()
};

inline int64_t sat_min(unsigned bits) {
  return -(int64_t{1} << (bits - 1));
}
inline int64_t sat_max(unsigned bits) {
  return (int64_t{1} << (bits - 1)) - 1;
}

inline int64_t saturate(int64_t v, unsigned bits) {
  return std::clamp(v, sat_min(bits), sat_max(bits));
}

/// v * 2^-shift rounded half up (toward +inf on ties). Exact for |v| < 2^62.
inline int64_t shift_round(int64_t v, int32_t shift) {
  if (shift > 62) return 0;
  if (shift > 0) return (v + (int64_t{1} << (shift - 1))) >> shift;
  if (shift == 0) return v;
  // Left shift: anything beyond 2^32 saturates every output width, so clamp first.
  const int32_t s = std::min(-shift, 24);
  return std::clamp<int64_t>(v, -(int64_t{1} << 32), int64_t{1} << 32) * (int64_t{1} << s);
}

inline int16_t requantize(int64_t acc, const Requant &rq) {
  if (rq.table) {
    const int64_t i = saturate(shift_round(acc, rq.shift), kActInBits) + kActEntries / 2;
    const int64_t t = rq.table[i];
    return static_cast<int16_t>(
        saturate(shift_round(t, kActTableFrac + 1 - static_cast<int32_t>(rq.bits)), rq.bits));
  }
  if (rq.act == Act::kHardSigmoid) {
    // |x| < 2^11 and a < 2^15: the sum stays far below 2^62.
    const int64_t x = saturate(shift_round(acc, rq.shift), kActInBits);
    const int64_t y = std::clamp<int64_t>(
        shift_round(x * rq.slope + int64_t{rq.offset} * (int64_t{1} << kActInFrac), kActInFrac), 0,
        32767);
    return static_cast<int16_t>(
        saturate(shift_round(y, kActTableFrac + 1 - static_cast<int32_t>(rq.bits)), rq.bits));
  }
  if (rq.act == Act::kHardSwish) {
    // v has the output's bits and fractional bits f = frac; |v| < 2^15, so both products are
    // below 2^31.
    const int64_t v = saturate(shift_round(acc, rq.shift), rq.bits);
    const int64_t h =
        std::clamp<int64_t>(shift_round(v * kSixth, rq.frac) + (int64_t{1} << (kActTableFrac - 1)),
                            0, int64_t{1} << kActTableFrac);
    return static_cast<int16_t>(saturate(shift_round(v * h, kActTableFrac), rq.bits));
  }
  if (rq.act == Act::kLeaky && acc < 0) {
    // |acc| < 2^47 (the accumulator) times a slope < 2^15: below 2^62, where shift_round is exact.
    return static_cast<int16_t>(
        saturate(shift_round(acc * rq.slope, rq.shift + kLeakyFrac), rq.bits));
  }
  int64_t v = saturate(shift_round(acc, rq.shift), rq.bits);
  if (rq.relu && v < 0) v = 0;
  if (rq.act == Act::kClip) v = std::clamp<int64_t>(v, rq.lo, rq.hi);
  return static_cast<int16_t>(v);
}

/// Act::kPRelu: the bias of a channel's bias word, bits 0 to 47 sign-extended (uapi
/// DRM_ZACCEL_ACT_PRELU).
inline int64_t prelu_bias(int64_t word) {
  return static_cast<int64_t>(static_cast<uint64_t>(word) << 16) >> 16;
}

/// Act::kPRelu: the slope of a channel's bias word, bits 48 to 62 (Q0.15).
inline uint16_t prelu_slope(int64_t word) {
  return static_cast<uint16_t>((static_cast<uint64_t>(word) >> 48) & 0x7FFF);
}

/// Act::kPRelu: the bias word of a channel: `bias` (within 48 bits) and `slope` (Q0.15).
inline int64_t prelu_word(int64_t bias, uint16_t slope) {
  return static_cast<int64_t>(uint64_t{slope & 0x7FFFu} << 48 |
                              (static_cast<uint64_t>(bias) & ((uint64_t{1} << 48) - 1)));
}

/// The bias and output stage of a layer's output channel with bias word `word` (0 without a
/// bias): a PRelu's channel is a leaky ReLU of its own slope; any other is `rq` and `word`.
inline std::pair<int64_t, Requant> channel_stage(const Requant &rq, int64_t word) {
  if (rq.act != Act::kPRelu) return {word, rq};
  Requant leaky = rq;
  leaky.act = Act::kLeaky;
  leaky.slope = prelu_slope(word);
  return {prelu_bias(word), leaky};
}

/// `rq` with its table set for a table activation.
inline Requant with_table(Requant rq) {
  rq.table = act_is_table(rq.act) ? act_table(rq.act) : nullptr;
  return rq;
}

/// Round-half-up division by a positive n: floor(v / n + 1/2).
inline int64_t div_round(int64_t v, int64_t n) {
  const int64_t num = 2 * v + n, den = 2 * n;
  const int64_t q = num / den;
  return (num % den != 0 && num < 0) ? q - 1 : q;
}

}  // namespace zaccel::kernels
