// The graphs the fixed-point path takes today (the quantizer, and through it the planner and
// the session): one input, one output, and between them a chain of the layers an IP computes
// (convolution of any groups but without dilation, pooling without dilation and with padding
// smaller than the window (ceil_mode's overhang counted as padding: pool_window()), fully
// connected, ReLU, and a BatchNormalization left unfolded, as a depthwise 1x1 convolution).
// Shape-only nodes that keep the batch and each image's elements (a Flatten before a Gemm) are
// views and drop out. A Softmax or LogSoftmax over each image's outputs may end the chain: it runs
// on the host, in float, after the device (QModel::host_output). A Tanh, Sigmoid, Clip or LeakyRelu
// right after a conv or fc layer is fused into its output stage (kernels/activation.h).
#pragma once

#include <vector>

#include "model/graph.h"

namespace zaccel {

struct Chain {
  std::vector<const Node *> layers;   ///< what the IPs compute, in order
  std::vector<const Node *> acts;     ///< per layer, the activation fused into it, or null
  const Node *host_output = nullptr;  ///< a final Softmax or LogSoftmax, or null
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
/// operator, that makes `g` something else: a branch, a join, or an operator or attribute
/// the fixed-point path does not have.
Chain chain_layers(const Graph &g);

}  // namespace zaccel
