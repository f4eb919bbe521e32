// The float path's node kernels, a file per family: float_conv.cc (Conv), float_pool.cc
// (pooling), float_dense.cc (fc, Gemm, MatMul), float_eltwise.cc (activations, scale and
// shift, PRelu, Add), float_layout.cc (Reshape, Concat, Pad), float_softmax.cc and
// float_quant.cc (QuantizeLinear, DequantizeLinear). Each takes the node and its inputs at
// their run-time shapes, and throws Error (EINVAL) naming the node when they do not fit it.
#pragma once

#include <span>

#include "model/graph.h"
#include "model/tensor.h"

namespace zaccel::float_ops {

Tensor conv(const Node &l, const TensorView &x);
Tensor pool(const Node &l, const TensorView &x);
Tensor fc(const Node &l, const TensorView &x);
Tensor gemm(const Node &l, std::span<const TensorView> in);
Tensor matmul(const Node &l, const TensorView &a, const TensorView &b);
/// Relu, LeakyRelu, Clip, Sigmoid, Tanh, HardSigmoid, HardSwish.
Tensor activation(const Node &l, const TensorView &x);
Tensor prelu(const Node &l, const TensorView &x, const TensorView &slope);
Tensor scale_shift(const Node &l, const TensorView &x);
Tensor add(const Node &l, const TensorView &a, const TensorView &b);
Tensor mul(const Node &l, const TensorView &a, const TensorView &b);
Tensor reshape(const Node &l, const TensorView &x);
Tensor concat(const Node &l, std::span<const TensorView> in);
Tensor pad(const Node &l, const TensorView &x);
/// Softmax and LogSoftmax.
Tensor softmax(const Node &l, const TensorView &x);
Tensor quantize_linear(const Node &l, const TensorView &x);
Tensor dequantize_linear(const Node &l, const TensorView &x);

}  // namespace zaccel::float_ops
