// Tests of the bit-exact fixed-point IP kernels: hand-worked cases with literal results, and
// randomized comparison against naive reference implementations written independently here.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <vector>

#include "kernels/conv2d.h"
#include "kernels/fc.h"
#include "kernels/fixed.h"
#include "kernels/pool.h"

using namespace zaccel::kernels;
using V16 = std::vector<int16_t>;
using V64 = std::vector<int64_t>;

namespace {

// Runs `f` on an output buffer of `size` values plus guards; checks nothing is written past it.
template <typename F>
V16 guarded(size_t size, F f) {
  constexpr int16_t kGuard = 0x5A5A;
  V16 buf(size + 4, kGuard);
  f(buf.data());
  for (size_t i = size; i < buf.size(); ++i)
    EXPECT_EQ(buf[i], kGuard) << "overrun at " << i;
  buf.resize(size);
  return buf;
}

V16 run_conv(const ConvParams &p, size_t n, const V16 &x, const V16 &w, const V64 *bias) {
  return guarded(n * conv2d_output(p).size(), [&](int16_t *out) {
    conv2d(p, n, x.data(), w.data(), bias ? bias->data() : nullptr, out);
  });
}

V16 run_fc(const FcParams &p, size_t n, const V16 &x, const V16 &w, const V64 *bias) {
  return guarded(n * p.out, [&](int16_t *out) {
    fc(p, n, x.data(), w.data(), bias ? bias->data() : nullptr, out);
  });
}

V16 run_pool(const PoolParams &p, size_t n, const V16 &x) {
  return guarded(n * pool_output(p).size(), [&](int16_t *out) { pool(p, n, x.data(), out); });
}

// True if sum_k w[r][k] * x[k] fits int32 for every row r and every x with |x| <= max|input|,
// i.e. the products need no accumulator wider than 32 bits (the kernels' fast path).
bool products_fit_int32(const V16 &w, size_t rows, const V16 &in) {
  int64_t x_max = 0;
  for (int16_t v : in)
    x_max = std::max<int64_t>(x_max, std::abs(int64_t{v}));
  const size_t k = w.size() / rows;
  for (size_t r = 0; r < rows; ++r) {
    int64_t l1 = 0;
    for (size_t i = 0; i < k; ++i)
      l1 += std::abs(int64_t{w[r * k + i]});
    if (l1 * x_max > INT32_MAX) return false;
  }
  return true;
}

// ---- Independent reference -----------------------------------------------------------------

// floor(a / b) for b > 0, via the non-negative remainder.
int64_t ref_floor_div(int64_t a, int64_t b) {
  const int64_t r = ((a % b) + b) % b;
  return (a - r) / b;
}

// Accumulator to output: scale by 2^-shift rounding half up, saturate, optional ReLU.
// Valid for |acc| < 2^59 and shift >= -3 (the randomized ranges).
int64_t ref_requant(int64_t acc, int32_t shift, uint32_t bits, bool relu) {
  int64_t v = acc;
  if (shift > 0) {
    const int64_t d = int64_t{1} << shift;
    v = ref_floor_div(acc + d / 2, d);
  } else if (shift < 0) {
    v = acc * (int64_t{1} << -shift);
  }
  const int64_t hi = (int64_t{1} << (bits - 1)) - 1, lo = -hi - 1;
  if (v > hi) v = hi;
  if (v < lo) v = lo;
  if (relu && v < 0) v = 0;
  return v;
}

// Outputs of a window of k taps, d apart (spanning (k - 1) * d + 1), over in padded by pa, pb.
uint32_t ref_extent(uint32_t in, uint32_t k, uint32_t s, uint32_t pa, uint32_t pb, uint32_t d) {
  const int64_t padded = int64_t{in} + pa + pb, span = (int64_t{k} - 1) * d + 1;
  return padded < span ? 0 : static_cast<uint32_t>((padded - span) / s + 1);
}

// Calls f(ky, kx, iy, ix) for each kernel cell of output (oy, ox) that lies inside the image.
template <typename F>
void each_cell(const Dims &in, const Window &k, uint32_t oy, uint32_t ox, F f) {
  for (uint32_t ky = 0; ky < k.kh; ++ky)
    for (uint32_t kx = 0; kx < k.kw; ++kx) {
      const int64_t iy = int64_t{oy} * k.stride_h + int64_t{ky} * k.dil_h - int64_t{k.pad_top};
      const int64_t ix = int64_t{ox} * k.stride_w + int64_t{kx} * k.dil_w - int64_t{k.pad_left};
      if (iy >= 0 && iy < in.h && ix >= 0 && ix < in.w) f(ky, kx, iy, ix);
    }
}

V16 ref_conv(const ConvParams &p, size_t n, const V16 &x, const V16 &w, const V64 *bias) {
  const Window &k = p.win;
  const uint32_t C = p.in.c, H = p.in.h, W = p.in.w;
  const uint32_t CG = C / p.groups, OG = p.out_c / p.groups;  // per group
  const uint32_t OH = ref_extent(H, k.kh, k.stride_h, k.pad_top, k.pad_bottom, k.dil_h);
  const uint32_t OW = ref_extent(W, k.kw, k.stride_w, k.pad_left, k.pad_right, k.dil_w);
  V16 out;
  for (size_t b = 0; b < n; ++b)
    for (uint32_t o = 0; o < p.out_c; ++o)
      for (uint32_t oy = 0; oy < OH; ++oy)
        for (uint32_t ox = 0; ox < OW; ++ox) {
          int64_t acc = bias ? (*bias)[o] : 0;
          for (uint32_t c = 0; c < CG; ++c)
            each_cell(p.in, k, oy, ox, [&](uint32_t ky, uint32_t kx, int64_t iy, int64_t ix) {
              const size_t ci = size_t{o / OG} * CG + c;  // the channel in the whole input
              acc += int64_t{x[static_cast<size_t>(((b * C + ci) * H + iy) * W + ix)]} *
                     w[((size_t{o} * CG + c) * k.kh + ky) * k.kw + kx];
            });
          out.push_back(static_cast<int16_t>(ref_requant(acc, p.rq.shift, p.rq.bits, p.rq.relu)));
        }
  return out;
}

V16 ref_fc(const FcParams &p, size_t n, const V16 &x, const V16 &w, const V64 *bias) {
  V16 out;
  for (size_t i = 0; i < n; ++i)
    for (size_t o = 0; o < p.out; ++o) {
      int64_t acc = bias ? (*bias)[o] : 0;
      for (size_t k = 0; k < p.in; ++k)
        acc += int64_t{w[o * p.in + k]} * x[i * p.in + k];
      out.push_back(static_cast<int16_t>(ref_requant(acc, p.rq.shift, p.rq.bits, p.rq.relu)));
    }
  return out;
}

V16 ref_pool(const PoolParams &p, size_t n, const V16 &x) {
  const Window &k = p.win;
  const uint32_t C = p.in.c, H = p.in.h, W = p.in.w;
  const uint32_t OH = ref_extent(H, k.kh, k.stride_h, k.pad_top, k.pad_bottom, k.dil_h);
  const uint32_t OW = ref_extent(W, k.kw, k.stride_w, k.pad_left, k.pad_right, k.dil_w);
  V16 out;
  for (size_t b = 0; b < n; ++b)
    for (uint32_t c = 0; c < C; ++c)
      for (uint32_t oy = 0; oy < OH; ++oy)
        for (uint32_t ox = 0; ox < OW; ++ox) {
          int64_t sum = 0, best = 0, count = 0;
          each_cell(p.in, k, oy, ox, [&](uint32_t, uint32_t, int64_t iy, int64_t ix) {
            const int64_t v = x[static_cast<size_t>(((b * C + c) * H + iy) * W + ix)];
            best = (count == 0 || v > best) ? v : best;
            sum += v;
            ++count;
          });
          int64_t r = 0;
          if (count > 0 && p.kind == PoolKind::kMax) {
            r = best;
          } else if (count > 0) {
            const int64_t d = p.count_include_pad ? int64_t{k.kh} * k.kw : count;
            r = ref_floor_div(2 * sum + d, 2 * d);  // floor(sum / d + 1/2)
          }
          out.push_back(static_cast<int16_t>(r));
        }
  return out;
}

// ---- Random data -------------------------------------------------------------------------------

struct Rng {
  std::mt19937 gen{20240611u};
  int64_t operator()(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(gen);
  }
  uint32_t u(uint32_t lo, uint32_t hi) { return static_cast<uint32_t>((*this)(lo, hi)); }
  // mode 0: small magnitudes (int32 path); 1: full-scale 16-bit extremes; 2: random width.
  V16 values(size_t count, int mode, int64_t &bits) {
    bits = mode == 0 ? (*this)(2, 8) : mode == 1 ? 16 : (*this)(2, 16);
    const int64_t hi = (int64_t{1} << (bits - 1)) - 1;
    V16 v(count);
    for (auto &e : v) {
      const int64_t pick = (*this)(0, 3);
      e = static_cast<int16_t>(mode == 1 && pick == 0   ? -32768
                               : mode == 1 && pick == 1 ? 32767
                                                        : (*this)(-hi - 1, hi));
    }
    return v;
  }
  struct Mac {
    V16 x, w;
    V64 b;
    bool has_bias;
    Requant rq;
    const V64 *bias() const { return has_bias ? &b : nullptr; }
  };
  // Operands of a MAC kernel: `nx` inputs, `rows` weight rows of fan-in k, optional bias.
  Mac mac(size_t nx, size_t rows, size_t k, int mode) {
    Mac m;
    int64_t x_bits = 0, w_bits = 0;
    m.x = values(nx, mode, x_bits);
    m.w = values(rows * k, mode, w_bits);
    // Typical accumulator width; biases are about that wide, give or take a factor of 8.
    const int64_t acc_bits = x_bits + w_bits - 2 + std::bit_width(k) / 2;
    const int64_t hi = int64_t{1} << std::clamp<int64_t>(acc_bits + (*this)(-3, 3), 0, 40);
    m.b.resize(rows);
    for (auto &e : m.b)
      e = (*this)(-hi, hi);
    m.has_bias = (*this)(0, 3) != 0;
    // Half the time a shift in -3..20; otherwise one matched to acc_bits, so that most outputs
    // land inside the range rather than saturating.
    m.rq.bits = u(kMinBits, kMaxBits);
    m.rq.shift = static_cast<int32_t>(
        (*this)(0, 1) == 0 ? (*this)(-3, 20)
                           : std::max<int64_t>(-3, acc_bits - m.rq.bits + (*this)(-2, 2)));
    m.rq.relu = (*this)(0, 1) == 1;
    return m;
  }
};

}  // namespace

// ---- Fixed-point primitives --------------------------------------------------------------------

TEST(FixedShiftRound, TiesRoundTowardPositiveInfinity) {
  EXPECT_EQ(shift_round(5, 1), 3);     // 2.5 -> 3: (5+1)>>1
  EXPECT_EQ(shift_round(-5, 1), -2);   // -2.5 -> -2: (-5+1)>>1 = -4>>1
  EXPECT_EQ(shift_round(-3, 1), -1);   // -1.5 -> -1
  EXPECT_EQ(shift_round(-1, 1), 0);    // -0.5 -> 0
  EXPECT_EQ(shift_round(1, 1), 1);     // 0.5 -> 1
  EXPECT_EQ(shift_round(6, 2), 2);     // 1.5 -> 2: (6+2)>>2
  EXPECT_EQ(shift_round(-6, 2), -1);   // -1.5 -> -1: (-6+2)>>2 = -4>>2
  EXPECT_EQ(shift_round(7, 2), 2);     // 1.75 -> 2
  EXPECT_EQ(shift_round(-7, 2), -2);   // -1.75 -> -2: -5>>2 = floor(-1.25)
  EXPECT_EQ(shift_round(-9, 3), -1);   // -1.125 -> -1: -5>>3
  EXPECT_EQ(shift_round(-12, 3), -1);  // -1.5 -> -1: -8>>3
  EXPECT_EQ(shift_round(-13, 3), -2);  // -1.625 -> -2: -9>>3
  EXPECT_EQ(shift_round(-42, 0), -42);
  EXPECT_EQ(shift_round(3, -2), 12);    // 3 * 4
  EXPECT_EQ(shift_round(-3, -4), -48);  // -3 * 16
  EXPECT_EQ(shift_round(int64_t{1} << 40, 63), 0);
  EXPECT_EQ(shift_round(-(int64_t{1} << 40), 63), 0);
}

TEST(FixedSaturate, BothEndsAt8And16Bits) {
  EXPECT_EQ(saturate(127, 8), 127);
  EXPECT_EQ(saturate(128, 8), 127);
  EXPECT_EQ(saturate(-128, 8), -128);
  EXPECT_EQ(saturate(-129, 8), -128);
  EXPECT_EQ(saturate(40000, 16), 32767);
  EXPECT_EQ(saturate(-40000, 16), -32768);
  EXPECT_EQ(requantize(255, {1, 8, false}), 127);         // (255+1)>>1 = 128 -> 127
  EXPECT_EQ(requantize(-257, {1, 8, false}), -128);       // (-257+1)>>1 = -128 exactly
  EXPECT_EQ(requantize(-259, {1, 8, false}), -128);       // -258>>1 = -129 -> -128
  EXPECT_EQ(requantize(65535, {1, 16, false}), 32767);    // 65536>>1 = 32768 -> 32767
  EXPECT_EQ(requantize(-65537, {1, 16, false}), -32768);  // -65536>>1 = -32768
  EXPECT_EQ(requantize(-65538, {1, 16, false}), -32768);  // -65537>>1 = -32769 -> -32768
}

TEST(FixedRequantize, ReluClampsAfterRoundingAndSaturation) {
  EXPECT_EQ(requantize(5, {1, 8, true}), 3);       // 2.5 -> 3
  EXPECT_EQ(requantize(-5, {1, 8, true}), 0);      // -2.5 -> -2 -> 0
  EXPECT_EQ(requantize(-1, {1, 8, true}), 0);      // -0.5 -> 0
  EXPECT_EQ(requantize(-1, {0, 8, true}), 0);      // -1 -> 0
  EXPECT_EQ(requantize(-2, {1, 8, true}), 0);      // -1 -> 0
  EXPECT_EQ(requantize(-1000, {0, 8, true}), 0);   // -128 -> 0
  EXPECT_EQ(requantize(1000, {0, 8, true}), 127);  // saturated
  EXPECT_EQ(requantize(-1000, {0, 8, false}), -128);
}

TEST(FixedRequantize, NegativeShiftIsLeftShiftAndSaturates) {
  EXPECT_EQ(requantize(3, {-2, 8, false}), 12);         // 3*4
  EXPECT_EQ(requantize(-3, {-5, 8, false}), -96);       // -3*32
  EXPECT_EQ(requantize(4, {-5, 8, false}), 127);        // 128 -> 127
  EXPECT_EQ(requantize(-4, {-5, 8, false}), -128);      // -128 exactly
  EXPECT_EQ(requantize(-5, {-5, 8, false}), -128);      // -160 -> -128
  EXPECT_EQ(requantize(1023, {-5, 16, false}), 32736);  // 1023*32
  EXPECT_EQ(requantize(1024, {-5, 16, false}), 32767);  // 32768 -> 32767
  EXPECT_EQ(requantize(-1024, {-5, 16, false}), -32768);
  EXPECT_EQ(requantize(-1025, {-5, 16, true}), 0);
  EXPECT_EQ(requantize(1, {-40, 16, false}), 32767);  // 2^40, far beyond any width
  EXPECT_EQ(requantize(-1, {-40, 16, false}), -32768);
  EXPECT_EQ(requantize(int64_t{1} << 50, {-3, 16, false}), 32767);
  EXPECT_EQ(requantize(-(int64_t{1} << 50), {-3, 16, false}), -32768);
}

TEST(FixedRequantize, MinimumBitWidth) {
  static_assert(kMinBits == 2);
  EXPECT_EQ(sat_min(kMinBits), -2);
  EXPECT_EQ(sat_max(kMinBits), 1);
  EXPECT_EQ(requantize(1, {0, 2, false}), 1);
  EXPECT_EQ(requantize(2, {0, 2, false}), 1);
  EXPECT_EQ(requantize(-2, {0, 2, false}), -2);
  EXPECT_EQ(requantize(-3, {0, 2, false}), -2);
  EXPECT_EQ(requantize(1, {1, 2, false}), 1);    // 0.5 -> 1
  EXPECT_EQ(requantize(3, {1, 2, false}), 1);    // 1.5 -> 2 -> 1
  EXPECT_EQ(requantize(-3, {1, 2, false}), -1);  // -1.5 -> -1
  EXPECT_EQ(requantize(-5, {1, 2, false}), -2);  // -2.5 -> -2
  EXPECT_EQ(requantize(-7, {1, 2, false}), -2);  // -3.5 -> -3 -> -2
  EXPECT_EQ(requantize(-6, {2, 2, false}), -1);  // -1.5 -> -1
  EXPECT_EQ(requantize(1, {-1, 2, false}), 1);   // 2 -> 1
  EXPECT_EQ(requantize(-1, {-1, 2, false}), -2);
  EXPECT_EQ(requantize(-3, {0, 2, true}), 0);
  EXPECT_EQ(requantize(5, {0, 2, true}), 1);
}

TEST(FixedDivRound, HalfUpWithNegatives) {
  EXPECT_EQ(div_round(5, 2), 3);     // 2.5 -> 3
  EXPECT_EQ(div_round(-5, 2), -2);   // -2.5 -> -2
  EXPECT_EQ(div_round(-7, 2), -3);   // -3.5 -> -3
  EXPECT_EQ(div_round(7, 3), 2);     // 2.33 -> 2
  EXPECT_EQ(div_round(-7, 3), -2);   // -2.33 -> -2
  EXPECT_EQ(div_round(-8, 3), -3);   // -2.67 -> -3
  EXPECT_EQ(div_round(-3, 6), 0);    // -0.5 -> 0
  EXPECT_EQ(div_round(-4, 6), -1);   // -0.67 -> -1
  EXPECT_EQ(div_round(-1, 4), 0);    // -0.25 -> 0
  EXPECT_EQ(div_round(-6, 4), -1);   // -1.5 -> -1
  EXPECT_EQ(div_round(-10, 4), -2);  // -2.5 -> -2
}

// ---- Conv2d ------------------------------------------------------------------------------------

TEST(Conv2dHand, SingleChannel2x2KernelNoPad) {
  // x = [1 2 3; 4 5 6; 7 8 9], k = [1 2; 3 4]:
  // (0,0) 1+4+12+20=37  (0,1) 2+6+15+24=47  (1,0) 4+10+21+32=67  (1,1) 5+12+24+36=77
  ConvParams p{{1, 3, 3}, 1, {2, 2, 1, 1, 0, 0, 0, 0}, {0, 16, false}};
  const V16 x{1, 2, 3, 4, 5, 6, 7, 8, 9}, w{1, 2, 3, 4};
  EXPECT_EQ(run_conv(p, 1, x, w, nullptr), (V16{37, 47, 67, 77}));
  p.rq.shift = 1;  // 18.5 -> 19, 23.5 -> 24, 33.5 -> 34, 38.5 -> 39
  EXPECT_EQ(run_conv(p, 1, x, w, nullptr), (V16{19, 24, 34, 39}));
}

TEST(Conv2dHand, Pad1Stride2) {
  // x = [1 2 3; 4 5 6; 7 8 9], k = [9 8 7; 6 5 4; 3 2 1], pad 1, stride 2 -> 2x2 output.
  // (0,0) k11*x00+k12*x01+k21*x10+k22*x11 = 5+8+8+5 = 26
  // (0,1) k10*x01+k11*x02+k20*x11+k21*x12 = 12+15+15+12 = 54
  // (1,0) k01*x10+k02*x11+k11*x20+k12*x21 = 32+35+35+32 = 134
  // (1,1) k00*x11+k01*x12+k10*x21+k11*x22 = 45+48+48+45 = 186
  const ConvParams p{{1, 3, 3}, 1, {3, 3, 2, 2, 1, 1, 1, 1}, {0, 16, false}};
  const V16 x{1, 2, 3, 4, 5, 6, 7, 8, 9}, w{9, 8, 7, 6, 5, 4, 3, 2, 1};
  EXPECT_EQ(run_conv(p, 1, x, w, nullptr), (V16{26, 54, 134, 186}));
}

TEST(Conv2dHand, TwoChannelsBiasReluRounding) {
  // x c0 = [1 2 3; 4 5 6], c1 = [-1 0 2; 3 -2 1]; 2x2 kernels -> 1x2 per output channel.
  // o0: w c0 = [1 0; 0 1], c1 = [2 0; 0 -1], bias 3
  //   ox0: (1+5) + (-2+2) + 3 = 9 -> 9/4 = 2.25 -> 2;  ox1: (2+6) + (0-1) + 3 = 10 -> 2.5 -> 3
  // o1: w c0 = [-1 1; 0 0], c1 = [0 0; -3 1], bias 0
  //   ox0: (-1+2) + (-9-2) = -10 -> -2.5 -> -2;  ox1: (-2+3) + (6+1) = 8 -> 2
  ConvParams p{{2, 2, 3}, 2, {2, 2, 1, 1, 0, 0, 0, 0}, {2, 8, false}};
  const V16 x{1, 2, 3, 4, 5, 6, -1, 0, 2, 3, -2, 1};
  const V16 w{1, 0, 0, 1, 2, 0, 0, -1, -1, 1, 0, 0, 0, 0, -3, 1};
  const V64 bias{3, 0};
  EXPECT_EQ(run_conv(p, 1, x, w, &bias), (V16{2, 3, -2, 2}));
  p.rq.relu = true;
  EXPECT_EQ(run_conv(p, 1, x, w, &bias), (V16{2, 3, 0, 2}));
}

TEST(Conv2dHand, Saturates) {
  // Every output is 4 * 100 * (+-100) = +-40000.
  ConvParams p{{1, 2, 2}, 2, {2, 2, 1, 1, 0, 0, 0, 0}, {0, 16, false}};
  const V16 x(4, 100), w{100, 100, 100, 100, -100, -100, -100, -100};
  EXPECT_EQ(run_conv(p, 1, x, w, nullptr), (V16{32767, -32768}));
  p.rq = {4, 8, false};  // +-2500 -> 127 / -128
  EXPECT_EQ(run_conv(p, 1, x, w, nullptr), (V16{127, -128}));
}

TEST(Conv2dAccumulator, FullScaleUsesWidePath) {
  // 4 channels, 3x3 kernel: fan-in 36. o0: 36 * 32767 * -32768 = -38653526016 overflows int32;
  // / 2^24 = -36*32767/512 = -2303.93 -> -2304. o1: 36 * 2^30 / 2^24 = 2304 exactly.
  const ConvParams p{{4, 4, 4}, 2, {3, 3, 1, 1, 0, 0, 0, 0}, {24, 16, false}};
  const V16 x(64, -32768);
  V16 w(72, 32767);
  std::fill(w.begin() + 36, w.end(), int16_t{-32768});
  ASSERT_FALSE(products_fit_int32(w, 2, x));
  const V16 want{-2304, -2304, -2304, -2304, 2304, 2304, 2304, 2304};
  EXPECT_EQ(run_conv(p, 1, x, w, nullptr), want);
}

TEST(Conv2dAccumulator, EdgeOfInt32Bound) {
  // x = 32767 (x3). Row 0 w = {32767, 32767, 4}: l1 * 32767 = 2147483646 <= INT32_MAX, so the
  // products fit int32; sum 2147483646 / 2^20 = 2047.99999 -> 2048.
  // Row 1 w = {32767, 32767, 5}: l1 * 32767 = 2147516413 > INT32_MAX; with bias -2^32:
  // -2147450883 / 2^20 = -2047.97 -> -2048 (an int32 wrap would give +2048).
  const ConvParams p{{1, 1, 3}, 2, {1, 3, 1, 1, 0, 0, 0, 0}, {20, 16, false}};
  const V16 x{32767, 32767, 32767}, w{32767, 32767, 4, 32767, 32767, 5};
  const V64 bias{0, -(int64_t{1} << 32)};
  ASSERT_TRUE(products_fit_int32(V16(w.begin(), w.begin() + 3), 1, x));
  ASSERT_FALSE(products_fit_int32(V16(w.begin() + 3, w.end()), 1, x));
  EXPECT_EQ(run_conv(p, 1, x, w, &bias), (V16{2048, -2048}));
}

TEST(Conv2dRandom, MatchesNaiveReference) {
  Rng rng;
  int narrow = 0, wide = 0;
  for (int t = 0; t < 600; ++t) {
    ConvParams p{};
    p.in = {rng.u(1, 4), rng.u(1, 9), rng.u(1, 9)};
    p.out_c = rng.u(1, 4);
    p.win.kh = rng.u(1, 4), p.win.kw = rng.u(1, 4);
    p.win.stride_h = rng.u(1, 3), p.win.stride_w = rng.u(1, 3);
    if (t % 4 == 3) p.win.dil_h = rng.u(2, 3), p.win.dil_w = rng.u(1, 3);  // dilated
    p.win.pad_top = rng.u(0, p.win.kh - 1), p.win.pad_bottom = rng.u(0, p.win.kh - 1);
    p.win.pad_left = rng.u(0, p.win.kw - 1), p.win.pad_right = rng.u(0, p.win.kw - 1);
    const size_t n = rng.u(1, 3), k = size_t{p.in.c} * p.win.kh * p.win.kw;
    const auto m = rng.mac(n * p.in.size(), p.out_c, k, t % 3);
    p.rq = m.rq;
    if (conv2d_output(p).size() > 0) ++(products_fit_int32(m.w, p.out_c, m.x) ? narrow : wide);
    ASSERT_EQ(run_conv(p, n, m.x, m.w, m.bias()), ref_conv(p, n, m.x, m.w, m.bias()))
        << "case " << t;
  }
  EXPECT_GT(narrow, 100);
  EXPECT_GT(wide, 100);
}

TEST(Conv2dRandom, GroupedMatchesNaiveReference) {
  Rng rng;
  for (int t = 0; t < 300; ++t) {
    ConvParams p{};
    p.groups = rng.u(1, 4);
    p.in = {p.groups * rng.u(1, 3), rng.u(1, 8), rng.u(1, 8)};
    p.out_c = p.groups * rng.u(1, 3);
    p.win.kh = rng.u(1, 4), p.win.kw = rng.u(1, 4);
    p.win.stride_h = rng.u(1, 3), p.win.stride_w = rng.u(1, 3);
    p.win.pad_top = rng.u(0, p.win.kh - 1), p.win.pad_bottom = rng.u(0, p.win.kh - 1);
    p.win.pad_left = rng.u(0, p.win.kw - 1), p.win.pad_right = rng.u(0, p.win.kw - 1);
    const size_t n = rng.u(1, 3), k = size_t{p.in.c / p.groups} * p.win.kh * p.win.kw;
    const auto m = rng.mac(n * p.in.size(), p.out_c, k, t % 3);
    p.rq = m.rq;
    ASSERT_EQ(run_conv(p, n, m.x, m.w, m.bias()), ref_conv(p, n, m.x, m.w, m.bias()))
        << "case " << t << ", " << p.groups << " groups";
  }
}

TEST(Conv2dHand, Depthwise) {
  // Two channels, each its own 1x1 filter: x 2 and x -3; no mixing between them.
  const ConvParams p{{2, 1, 2}, 2, {1, 1, 1, 1, 0, 0, 0, 0}, {0, 16, false}, 2};
  const V16 x{1, 2, 10, 20}, w{2, -3};
  EXPECT_EQ(run_conv(p, 1, x, w, nullptr), (V16{2, 4, -30, -60}));
}

// ---- Fc ----------------------------------------------------------------------------------------

TEST(FcHand, BiasRoundingSaturationRelu) {
  // w = [1 2 3; -4 5 -6; 100 100 100], bias = {1, -2, 0}, shift 1, 8 bits.
  // x0 = [1 1 1]: 6+1 = 7 -> 3.5 -> 4;  -5-2 = -7 -> -3.5 -> -3;  300 -> 150 -> 127
  // x1 = [2 -1 -4]: 2-2-12+1 = -11 -> -5.5 -> -5;  -8-5+24-2 = 9 -> 4.5 -> 5;
  //                 200-100-400 = -300 -> -150 -> -128
  FcParams p{3, 3, {1, 8, false}};
  const V16 x{1, 1, 1, 2, -1, -4}, w{1, 2, 3, -4, 5, -6, 100, 100, 100};
  const V64 bias{1, -2, 0};
  EXPECT_EQ(run_fc(p, 2, x, w, &bias), (V16{4, -3, 127, -5, 5, -128}));
  p.rq.relu = true;
  EXPECT_EQ(run_fc(p, 2, x, w, &bias), (V16{4, 0, 127, 0, 5, 0}));
  p.rq = {0, 16, false};  // no bias: 6, -5, 300, -12, 11, -300
  EXPECT_EQ(run_fc(p, 2, x, w, nullptr), (V16{6, -5, 300, -12, 11, -300}));
}

TEST(FcAccumulator, FullScaleUsesWidePath) {
  // fan-in 64: -64 * 32767 * 32768 / 2^26 = -32767/32 = -1023.97 -> -1024; 64 * 2^30 / 2^26 = 1024.
  const FcParams p{64, 2, {26, 16, false}};
  const V16 x(64, -32768);
  V16 w(128, 32767);
  std::fill(w.begin() + 64, w.end(), int16_t{-32768});
  ASSERT_FALSE(products_fit_int32(w, 2, x));
  EXPECT_EQ(run_fc(p, 1, x, w, nullptr), (V16{-1024, 1024}));
  // Products fit int32 but the bias does not; it is still added exactly: (2^40 + 1) / 2^26 -> 2^14.
  const V16 x1{1}, w1{1};
  const V64 big{int64_t{1} << 40};
  EXPECT_EQ(run_fc({1, 1, {26, 16, false}}, 1, x1, w1, &big), (V16{16384}));
}

TEST(FcRandom, MatchesNaiveReference) {
  Rng rng;
  int narrow = 0, wide = 0;
  for (int t = 0; t < 400; ++t) {
    FcParams p{rng.u(1, 64), rng.u(1, 8), {}};
    const size_t n = rng.u(1, 3);
    const auto m = rng.mac(n * p.in, p.out, p.in, t % 3);
    p.rq = m.rq;
    ++(products_fit_int32(m.w, p.out, m.x) ? narrow : wide);
    ASSERT_EQ(run_fc(p, n, m.x, m.w, m.bias()), ref_fc(p, n, m.x, m.w, m.bias())) << "case " << t;
  }
  EXPECT_GT(narrow, 100);
  EXPECT_GT(wide, 100);
}

// ---- Pool --------------------------------------------------------------------------------------

TEST(PoolHand, MaxWithAndWithoutPadding) {
  const PoolParams p{{1, 4, 4}, {2, 2, 2, 2, 0, 0, 0, 0}, PoolKind::kMax, false};
  const V16 x{1, -2, 3, 0, 4, 5, -6, 7, -8, 9, 10, -11, 12, -13, 14, 15};
  EXPECT_EQ(run_pool(p, 1, x), (V16{5, 7, 12, 15}));
  // All-negative input: padding must not act as 0. x = [-5 -3; -7 -9], 2x2 kernel, pad 1.
  const PoolParams q{{1, 2, 2}, {2, 2, 1, 1, 1, 1, 1, 1}, PoolKind::kMax, false};
  EXPECT_EQ(run_pool(q, 1, V16{-5, -3, -7, -9}), (V16{-5, -3, -3, -5, -3, -3, -7, -7, -9}));
}

TEST(PoolHand, PaddingOnlyWindowsYieldZero) {
  for (PoolKind kind : {PoolKind::kMax, PoolKind::kAverage}) {
    const PoolParams p{{1, 1, 1}, {1, 1, 1, 1, 1, 1, 1, 1}, kind, true};
    EXPECT_EQ(run_pool(p, 1, V16{-4}), (V16{0, 0, 0, 0, -4, 0, 0, 0, 0}));
  }
}

TEST(PoolHand, AverageTiesRoundHalfUp) {
  // 1x2 windows, stride 2: sums 3, -3, 7, -7, 65533, -65535 over 2 ->
  // 1.5 -> 2, -1.5 -> -1, 3.5 -> 4, -3.5 -> -3, 32766.5 -> 32767, -32767.5 -> -32767
  const PoolParams p{{1, 1, 12}, {1, 2, 1, 2, 0, 0, 0, 0}, PoolKind::kAverage, false};
  const V16 x{1, 2, -1, -2, 3, 4, -3, -4, 32767, 32766, -32768, -32767};
  EXPECT_EQ(run_pool(p, 1, x), (V16{2, -1, 4, -3, 32767, -32767}));
}

TEST(PoolHand, AverageCountIncludePad) {
  // x = [1 2; 3 5], 2x2 kernel, stride 1, pad 1 -> 3x3. Window sums:
  //   1 3 2 / 4 11 7 / 3 8 5 with 1 2 1 / 2 4 2 / 1 2 1 real cells.
  PoolParams p{{1, 2, 2}, {2, 2, 1, 1, 1, 1, 1, 1}, PoolKind::kAverage, false};
  // Exclude pad: 1, 1.5->2, 2, 2, 2.75->3, 3.5->4, 3, 4, 5
  EXPECT_EQ(run_pool(p, 1, V16{1, 2, 3, 5}), (V16{1, 2, 2, 2, 3, 4, 3, 4, 5}));
  // Negated: -1, -1.5->-1, -2, -2, -2.75->-3, -3.5->-3, -3, -4, -5
  EXPECT_EQ(run_pool(p, 1, V16{-1, -2, -3, -5}), (V16{-1, -1, -2, -2, -3, -3, -3, -4, -5}));
  p.count_include_pad = true;
  // Divide by 4: .25->0, .75->1, .5->1, 1, 2.75->3, 1.75->2, .75->1, 2, 1.25->1
  EXPECT_EQ(run_pool(p, 1, V16{1, 2, 3, 5}), (V16{0, 1, 1, 1, 3, 2, 1, 2, 1}));
  // Negated: -.25->0, -.75->-1, -.5->0, -1, -2.75->-3, -1.75->-2, -.75->-1, -2, -1.25->-1
  EXPECT_EQ(run_pool(p, 1, V16{-1, -2, -3, -5}), (V16{0, -1, 0, -1, -3, -2, -1, -2, -1}));
}

TEST(PoolHand, ReluClampsInPlace) {
  V16 v{-32768, -1, 0, 1, 32767};
  relu(v.size(), v.data());
  EXPECT_EQ(v, (V16{0, 0, 0, 1, 32767}));
}

TEST(PoolRandom, MatchesNaiveReference) {
  Rng rng;
  for (int t = 0; t < 500; ++t) {
    PoolParams p{};
    p.in = {rng.u(1, 4), rng.u(1, 9), rng.u(1, 9)};
    p.win.kh = rng.u(1, 4), p.win.kw = rng.u(1, 4);
    p.win.stride_h = rng.u(1, 3), p.win.stride_w = rng.u(1, 3);
    // Pads up to k, so some windows lie entirely in padding.
    p.win.pad_top = rng.u(0, p.win.kh), p.win.pad_bottom = rng.u(0, p.win.kh);
    p.win.pad_left = rng.u(0, p.win.kw), p.win.pad_right = rng.u(0, p.win.kw);
    if (t % 4 == 3) p.win.dil_h = rng.u(1, 3), p.win.dil_w = rng.u(2, 3);  // dilated
    p.kind = rng(0, 1) == 0 ? PoolKind::kMax : PoolKind::kAverage;
    p.count_include_pad = rng(0, 1) == 1;
    const size_t n = rng.u(1, 3);
    int64_t bits = 0;
    const V16 x = rng.values(n * p.in.size(), t % 3, bits);
    ASSERT_EQ(run_pool(p, n, x), ref_pool(p, n, x)) << "case " << t;
  }
}
