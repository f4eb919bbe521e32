// The network as libaccel sees it after import: a chain of layers, each one an IP's worth of
// work (convolution, pooling, fully connected, or a standalone ReLU), float weights.
#pragma once

#include <string>
#include <vector>

#include "kernels/pool.h"
#include "kernels/shape.h"

namespace zaccel {

using kernels::Dims;
using kernels::Window;

enum class LayerKind { kConv, kPool, kFc, kRelu };

const char *layer_kind_name(LayerKind k);

struct Layer {
  LayerKind kind = LayerKind::kRelu;
  std::string name;  ///< stable short name: conv1, pool1, fc1, relu1, ...
  std::string node;  ///< the ONNX node it came from, for messages
  Dims in, out;      ///< per image; a fully connected layer reads in.size() features
  Window win;        ///< conv and pool
  kernels::PoolKind pool = kernels::PoolKind::kMax;
  bool count_include_pad = false;  ///< average pool divisor
  bool relu = false;               ///< ReLU fused into conv or fc
  std::vector<float> weights;      ///< conv: [out.c][in.c][kh][kw]; fc: [out.c][in.size()]
  std::vector<float> bias;         ///< [out.c], or empty

  bool has_weights() const { return kind == LayerKind::kConv || kind == LayerKind::kFc; }
  /// Multiply-accumulates per image.
  size_t macs() const;
};

struct Graph {
  std::string input_name, output_name;
  Dims input;
  std::vector<Layer> layers;

  Dims output() const { return layers.empty() ? input : layers.back().out; }
  const Layer *find(const std::string &name) const;
};

}  // namespace zaccel
