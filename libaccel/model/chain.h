// The graphs the fixed-point path takes today (the quantizer, and through it the planner and
// the session): one input, one output, and between them a DAG of the layers an IP computes:
// convolution of any groups and dilation, pooling with padding smaller than the window's span
// (ceil_mode's overhang counted as padding: pool_window()), fully
// connected, ReLU, a BatchNormalization left unfolded (as a depthwise 1x1 convolution), and a
// residual Add of two tensors of one shape, each from any earlier layer. Shape-only nodes that
// keep the batch and each image's elements (a Flatten before a Gemm) are views and drop out. A
// Softmax or LogSoftmax over each image's outputs may end the graph: it runs on the host, in
// float, after the device (QModel::host_output). A Tanh, Sigmoid, Clip, LeakyRelu or PRelu (of
// one slope: a LeakyRelu; or of one per channel) whose input is a conv or fc layer's output,
// read by nothing else, is fused into that layer's output stage (kernels/activation.h); so is
// a Relu into an Add's. A
// QuantizeLinear read only by a DequantizeLinear of its scale and zero point (PyTorch's fake
// quantization) drops out too, and pins the format of the tensor it quantizes (Chain::pins).
#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "model/graph.h"

namespace zaccel {

struct Chain {
  std::vector<const Node *> layers;  ///< what the IPs compute, in order
  std::vector<const Node *> acts;    ///< per layer, the activation fused into it, or null
  /// Per layer, the tensors it reads: 0 the graph's input, k + 1 layer k's output.
  std::vector<std::vector<uint32_t>> srcs;
  /// Nodes `acts` points to that are not `g`'s: a PRelu of one slope, as the LeakyRelu it is;
  /// one of a slope per channel, its slopes as its weights.
  std::vector<std::shared_ptr<const Node>> owned;
  const Node *host_output = nullptr;  ///< a final Softmax or LogSoftmax, or null
  /// Tensors (0 the input, k + 1 layer k's output) whose format a QuantizeLinear and
  /// DequantizeLinear pair fixes, and the QuantizeLinear: the quantizer keeps its scale.
  std::vector<std::pair<uint32_t, const Node *>> pins;
};

/// The window a pool IP runs for pool `l`: with ceil_mode, the rows and columns the last
/// window hangs past the padding become bottom and right padding, which a maximum ignores and
/// an average without count_include_pad does not count: the same output, from an IP that knows
/// only floor. chain_layers() refuses an average that counts its padding where that differs.
Window pool_window(const Node &l);

/// The depthwise 1x1 convolution that computes ScaleShift `l` (a BatchNormalization with no
/// conv or fc before it): one filter per channel, its scale the weight, its shift the bias.
Node scale_shift_conv(const Graph &g, const Node &l);

/// The layers of `g` in order. Throws Error (EOPNOTSUPP) naming the first node, and its
/// operator, that makes `g` something else: an operator or attribute the fixed-point path does
/// not have, a join other than an Add, a layer whose output nothing reads, or more than one
/// graph input or output.
Chain chain_layers(const Graph &g);

}  // namespace zaccel
