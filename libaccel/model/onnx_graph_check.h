// ONNX import: the graph's structure before anything reads its operators. Every node input
// must come from a graph input, an initializer or an earlier node; no value may have two
// producers; the nodes must not form a cycle. The nodes are put in topological order (stable:
// an already sorted graph keeps its order).
#pragma once

namespace onnx {
class GraphProto;
}

namespace zaccel {

/// Sorts `g`'s nodes. Throws Error (EBADMSG) naming the node for a dangling input, a value
/// produced twice, or a cycle (with the nodes on it), and naming the output for a graph output
/// that nothing produces.
void check_and_sort(onnx::GraphProto &g);

}  // namespace zaccel
