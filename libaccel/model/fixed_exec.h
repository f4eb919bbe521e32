// The fixed-point reference path: a quantized model run layer by layer, in order, each on the
// tensors it reads, with the emulator's bit-exact IP kernels. Every backend and weight mode must
// reproduce its integers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "model/quantize.h"

namespace zaccel {

/// Runs `n` images already in the model's input format; returns the output codes.
std::vector<int16_t> run_fixed(const QModel &q, size_t n, const int16_t *input);

/// Runs one layer over `n` images; `in2` is an Add's second operand.
std::vector<int16_t> run_fixed_layer(const QLayer &l, size_t n, const int16_t *in,
                                     const int16_t *in2 = nullptr);

}  // namespace zaccel
