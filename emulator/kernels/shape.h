// Tensor and window geometry shared by the IP kernels. Activations are CHW per image, images
// packed one after another (NCHW).
#pragma once

#include <cstddef>
#include <cstdint>

namespace zaccel::kernels {

struct Dims {
  uint32_t c = 0, h = 0, w = 0;
  size_t size() const { return size_t{c} * h * w; }
  bool operator==(const Dims &) const = default;
};

/// A sliding window: kernel size (taps), stride, dilation (the distance between taps) and
/// padding on each side.
struct Window {
  uint32_t kh = 1, kw = 1;
  uint32_t stride_h = 1, stride_w = 1;
  uint32_t pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
  uint32_t dil_h = 1, dil_w = 1;
};

/// Input positions `k` taps at dilation `dil` span: (k - 1) * dil + 1.
inline uint64_t window_span(uint32_t k, uint32_t dil) {
  return k == 0 ? 0 : uint64_t{k - 1} * dil + 1;
}

/// Output extent of a window of `k` taps at dilation `dil` over `in` input positions, or 0 if
/// the window does not fit.
inline uint32_t window_extent(uint32_t in, uint32_t k, uint32_t stride, uint32_t pad_a,
                              uint32_t pad_b, uint32_t dil = 1) {
  const uint64_t padded = uint64_t{in} + pad_a + pad_b, span = window_span(k, dil);
  if (k == 0 || stride == 0 || dil == 0 || padded < span) return 0;
  return static_cast<uint32_t>((padded - span) / stride + 1);
}

inline Dims window_output(const Dims &in, const Window &win, uint32_t out_c) {
  return {out_c, window_extent(in.h, win.kh, win.stride_h, win.pad_top, win.pad_bottom, win.dil_h),
          window_extent(in.w, win.kw, win.stride_w, win.pad_left, win.pad_right, win.dil_w)};
}

}  // namespace zaccel::kernels
