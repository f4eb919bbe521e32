// QuantizeLinear and DequantizeLinear as ONNX defines them, one value at a time: what the
// float path runs, and what import folds into a constant when the input is one (fake-quantized
// weights). Codes are held as floats: every int8 and uint8 code is exact in a float.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>

namespace zaccel::qdq {

/// clamp(round(x / scale) + zero_point, lo, hi), rounding half to even; a NaN gives the zero
/// point. The division is in float, as ONNX's reference runtime computes it.
inline float quantize(float x, float scale, float zero_point, float lo, float hi) {
  const float r = std::nearbyint(x / scale);
  if (std::isnan(r)) return zero_point;
  return std::clamp(r + zero_point, lo, hi);
}

/// (code - zero_point) * scale.
inline float dequantize(float code, float scale, float zero_point) {
  return (code - zero_point) * scale;
}

/// Elements after dimension `axis` of `shape`: element i has index (i / inner) % shape[axis]
/// along the axis.
inline size_t inner_size(std::span<const int64_t> shape, size_t axis) {
  size_t n = 1;
  for (size_t k = axis + 1; k < shape.size(); ++k)
    n *= static_cast<size_t>(shape[k]);
  return n;
}

}  // namespace zaccel::qdq
