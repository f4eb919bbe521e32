// The activations an IP's output stage computes after requantization (uapi DRM_ZACCEL_ACT_*).
//
// Clip clamps the requantized value to [lo, hi]. Leaky multiplies a negative accumulator by
// a Q0.15 slope, then requantizes it with 15 more bits of shift. Tanh and Sigmoid are tables, as an
// HLS IP would hold them in a ROM: the accumulator is shifted to kActInFrac fractional bits and
// saturated to kActInBits bits (the range [-8, 8)), and indexes kActEntries values of
// round-half-up(f(i / 256) * 2^15) (Q0.15, saturated to 32767), which are then rounded half
// up to the output width; so the output has (output bits - 1) fractional bits. One table is
// 4096 x 16 bits = 64 Kib: four BRAM18 in 1K x 18 mode, whose two ports serve two outputs a
// cycle; an IP that gives more holds copies (ips/resources.cc). A clip costs comparators only.
//
// HardSigmoid and HardSwish are piecewise linear, computed rather than looked up. HardSigmoid
// takes the tables' input (8 fractional bits, 12 bits) and gives clamp(a * x + b, 0, 1) in
// Q0.15, a and b Q0.15 job parameters, then rounds to the output width as the tables do: one
// 16 x 12-bit product and a clamp per output. HardSwish works on the requantized output v (its
// own format): h = clamp(v / 6 + 1/2, 0, 1) in Q0.15, 1/6 being kSixth, then v * h: two
// products per output, a DSP48E1 each (ips/resources.cc). PRelu is Leaky with each output
// channel's own slope, which the IP reads with the channel's bias: the 64-bit bias word holds
// the 48-bit bias and, above it, the Q0.15 slope.
#pragma once

#include <cstdint>

namespace zaccel::kernels {

enum class Act : uint8_t {
  kNone = 0,
  kClip = 1,
  kTanh = 2,
  kSigmoid = 3,
  kLeaky = 4,
  kHardSigmoid = 5,
  kHardSwish = 6,
  kPRelu = 7,  ///< kLeaky with a slope per output channel, in its bias word (prelu_bias())
};

/// Fractional bits of Act::kLeaky's slope: a negative accumulator is multiplied by it before
/// the requantization shift (one 48 x 15-bit product per output: a DSP48E1).
inline constexpr int kLeakyFrac = 15;

inline constexpr int kActInFrac = 8;
inline constexpr unsigned kActInBits = 12;
inline constexpr unsigned kActEntries = 1u << kActInBits;
/// Fractional bits of a table's values.
inline constexpr int kActTableFrac = 15;

/// 1/6 in Q0.15, rounded half up: HardSwish's slope.
inline constexpr int32_t kSixth = 5461;
/// Largest magnitude of HardSwish's output fractional bits (its job parameter).
inline constexpr int32_t kHardSwishMaxFrac = 32;

/// Whether `a` takes the tables' input and output formats (Tanh, Sigmoid, HardSigmoid).
inline bool act_has_table_format(Act a) {
  return a == Act::kTanh || a == Act::kSigmoid || a == Act::kHardSigmoid;
}

/// Whether `a` is a table activation (Tanh, Sigmoid).
inline bool act_is_table(Act a) {
  return a == Act::kTanh || a == Act::kSigmoid;
}

/// The table of a table activation: kActEntries values, entry 0 for input -2048 / 256.
const int16_t *act_table(Act a);

/// The float function a table activation stands for.
double act_function(Act a, double x);

}  // namespace zaccel::kernels
