// Bit-exact fully connected IP kernel.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/fixed.h"

namespace zaccel::kernels {

struct FcParams {
  uint32_t in = 0;   ///< input features
  uint32_t out = 0;  ///< output features
  Requant rq;        ///< accumulator to output
};

/// Computes out[i][o] = requant(bias[o] + acc_in[i][o] + sum_k weights[o][k] * in[i][k]) for
/// `n` rows, or the sum itself into `cascade.acc_out`. `bias` is in accumulator units, or null.
void fc(const FcParams &p, size_t n, const int16_t *in, const int16_t *weights, const int64_t *bias,
        int16_t *out, const Cascade &cascade = {});

}  // namespace zaccel::kernels
