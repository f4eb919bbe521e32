// Quantization: float weights and activations to signed fixed point with per-layer
// power-of-two scales chosen from calibration images, and the quantized model it produces.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "kernels/conv2d.h"
#include "kernels/eltwise.h"
#include "kernels/fc.h"
#include "kernels/pool.h"
#include "model/graph.h"

namespace zaccel {

/// Bit widths of one layer's weights and output activations.
struct LayerBits {
  unsigned wbits = 16;
  unsigned abits = 16;
};

struct QuantOptions {
  LayerBits defaults;                          ///< every layer, and the input (abits)
  std::map<std::string, LayerBits> per_layer;  ///< overrides by layer name (conv and fc only)
};

/// A layer ready for its IP: integer weights, accumulator-unit bias and requantization.
struct QLayer {
  LayerKind kind = LayerKind::kRelu;
  std::string name;
  Dims in, out;
  kernels::ConvParams conv{};  ///< kConv
  kernels::FcParams fc{};      ///< kFc
  kernels::PoolParams pool{};  ///< kPool
  kernels::AddParams add{};    ///< kAdd: a residual Add (the operands' alignment, requantization)
  /// The model's tensors it reads (QModel::source()): 0 the model's input, k + 1 layer k's
  /// output; two for kAdd, one for the others. Empty: the layer before it (a chain).
  std::vector<uint32_t> src;
  unsigned wbits = 0;  ///< 0 for layers without weights
  int wfrac = 0;
  unsigned abits = 16;  ///< output format
  int afrac = 0;
  std::vector<int16_t> weights;
  std::vector<int64_t> bias;
  /// A part of a layer split by input channel (model/slice.h): it adds the partial sums of the
  /// part before it, and writes its own for the part after it instead of requantizing.
  bool acc_in = false, acc_out = false;
};

struct QModel {
  Dims input, output;
  unsigned in_bits = 16;
  int in_frac = 0;
  std::vector<QLayer> layers;
  /// kSoftmax or kLogSoftmax over each image's outputs, applied on the host in float to the
  /// dequantized codes of the last layer (dequantize_output); kRelu: none. On the host
  /// because it is monotonic: the device's codes, and with them the argmax, are the same
  /// either way, and an exponential and a division per class cost an IP more fabric than a
  /// Cortex-A9 spends on ten values.
  LayerKind host_output = LayerKind::kRelu;

  /// Tensor `k` (0 or 1) that layer `i` reads: 0 the input, j + 1 layer j's output.
  uint32_t source(size_t i, size_t k = 0) const {
    return k < layers[i].src.size() ? layers[i].src[k] : static_cast<uint32_t>(i);
  }
  /// Bits and fractional bits of tensor `t`.
  std::pair<unsigned, int> tensor_format(uint32_t t) const {
    return t ? std::pair(layers[t - 1].abits, layers[t - 1].afrac) : std::pair(in_bits, in_frac);
  }
  /// Per-image dimensions of tensor `t`.
  const Dims &tensor_dims(uint32_t t) const { return t ? layers[t - 1].out : input; }

  unsigned out_bits() const { return layers.empty() ? in_bits : layers.back().abits; }
  int out_frac() const { return layers.empty() ? in_frac : layers.back().afrac; }
};

/// Largest number of fractional bits with which round(max_abs * 2^frac) fits `bits` signed.
int choose_frac(double max_abs, unsigned bits);

/// float to fixed: round half up, then saturate.
int16_t quantize_value(double v, int frac, unsigned bits);

/// Quantizes `g`, calibrating activation ranges on `n_calib` float images. Throws Error
/// (EINVAL) for bad bit widths, unknown layer names, no calibration data, a weight or bias
/// that is not finite, or a layer whose accumulator could exceed 48 bits; EOPNOTSUPP, naming
/// the node and its operator, for a graph the fixed-point path does not take (model/chain.h),
/// or an Add whose operands differ in bits or in fractional bits by more than 32.
///
/// Scales are powers of two, one per tensor: the input's, and each conv or fc layer's output,
/// from the largest magnitude over the calibration images; a pool or ReLU keeps its input's.
/// An Add keeps each operand's scale, sums them exactly at the finer of the two (the coarser
/// shifted left by the difference), and requantizes the sum to its own calibrated scale, in
/// the operands' bits. A tensor that a QuantizeLinear and DequantizeLinear pair quantizes
/// (Chain::pins) takes the pair's format instead of a calibrated one, exactly: int8 codes at
/// scale 2^-f are 8 bits with f fractional bits (uint8: 9 bits, after a ReLU; int16: 16), on
/// the input or on the output of a conv, fc or Add layer. EOPNOTSUPP names the QuantizeLinear
/// whose format fixed point cannot hold: a scale per channel or not a power of two, a zero
/// point, or a tensor whose layer keeps another format. Its rounding stays half up: a value
/// exactly between two codes may round one code away from QuantizeLinear's half to even.
QModel quantize(const Graph &g, const QuantOptions &opts, size_t n_calib, const float *calib);

/// The outputs of `n` images from the codes of the last layer: the codes scaled by
/// 2^-out_frac(), then the host's Softmax or LogSoftmax (QModel::host_output) if any.
void dequantize_output(const QModel &q, size_t n, const int16_t *codes, float *out);

/// Converts `n` float images to the model's input format.
std::vector<int16_t> quantize_input(const QModel &q, size_t n, const float *in);

}  // namespace zaccel
