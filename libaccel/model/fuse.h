// What the IPs compute in one, merged after import: a BatchNormalization (scale and shift)
// folded into the conv or fc before it; a Pad of zeros into the conv, or the average pool
// (which then counts the padding), after it; a constant Add into the MatMul before it as its
// bias; a ReLU into the conv or fc before it; x * HardSigmoid(x) (alpha 1/6, beta 1/2: how
// exports before opset 14 write nn.Hardswish) into one HardSwish. Each only where the first
// node's output has no other reader and is no graph output, so no branch sees a different
// value.
#pragma once

#include "model/graph.h"

namespace zaccel {

/// Merges in place, then names the nodes (conv1, pool1, fc1, ...) in order. Throws Error
/// (EINVAL) naming the node if folding makes a weight or bias not finite.
void fuse_layers(Graph &g);

}  // namespace zaccel
