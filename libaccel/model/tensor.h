// A float tensor of the float path: a concrete shape (row-major) and its values, and a view
// of one that the node kernels read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace zaccel {

struct Tensor {
  std::vector<int64_t> shape;
  std::vector<float> data;
};

struct TensorView {
  std::span<const int64_t> shape;
  const float *data = nullptr;

  TensorView() = default;
  TensorView(std::span<const int64_t> s, const float *d) : shape(s), data(d) {}
  TensorView(const Tensor &t) : shape(t.shape), data(t.data.data()) {}  // NOLINT: implicit

  size_t rank() const { return shape.size(); }
  size_t size() const { return elements(shape); }

  static size_t elements(std::span<const int64_t> s) {
    size_t n = 1;
    for (int64_t d : s)
      n *= static_cast<size_t>(d);
    return n;
  }
};

}  // namespace zaccel
