#include "model/onnx_graph_check.h"

#include <onnx/onnx_pb.h>

#include <cerrno>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "model/onnx_tensor.h"
#include "util/error.h"

namespace zaccel {
namespace {

// Walks back from node `start`, which waits on an input no sorted node gives, along such
// inputs until a node repeats: those nodes make a cycle.
[[noreturn]] void report_cycle(const onnx::GraphProto &g,
                               const std::map<std::string, int> &producer,
                               const std::vector<bool> &sorted, int start) {
  std::vector<int> path;
  std::map<int, size_t> seen;
  int cur = start;
  while (!seen.count(cur)) {
    seen[cur] = path.size();
    path.push_back(cur);
    int next = -1;
    for (const std::string &in : g.node(cur).input()) {
      auto it = producer.find(in);
      if (it != producer.end() && !sorted[static_cast<size_t>(it->second)]) {
        next = it->second;
        break;
      }
    }
    if (next < 0) break;  // cannot happen: an unsorted node waits on an unsorted producer
    cur = next;
  }
  std::string names;
  for (size_t k = seen.count(cur) ? seen[cur] : 0; k < path.size(); ++k) {
    names += node_id(g.node(path[k]), path[k]);
    names += " <- ";
  }
  const onnx::NodeProto &n = g.node(cur);
  names += node_id(n, cur);
  fail(EBADMSG, where(n, cur), ": the graph has a cycle (", names, ")");
}

}  // namespace

void check_and_sort(onnx::GraphProto &g) {
  std::set<std::string> given;
  for (const auto &in : g.input())
    given.insert(in.name());
  for (const auto &t : g.initializer())
    given.insert(t.name());
  std::map<std::string, int> producer;
  for (int i = 0; i < g.node_size(); ++i) {
    for (const std::string &out : g.node(i).output()) {
      if (out.empty()) continue;
      if (given.count(out) || !producer.emplace(out, i).second)
        fail(EBADMSG, where(g.node(i), i), ": output '", out, "' is produced twice");
    }
  }
  // Each node's count of inputs from nodes not yet sorted.
  std::vector<int> waiting(static_cast<size_t>(g.node_size()), 0);
  std::vector<std::vector<int>> readers(static_cast<size_t>(g.node_size()));
  for (int i = 0; i < g.node_size(); ++i) {
    for (const std::string &in : g.node(i).input()) {
      if (in.empty() || given.count(in)) continue;
      auto it = producer.find(in);
      if (it == producer.end()) {
        fail(EBADMSG, where(g.node(i), i), ": input '", in,
             "' is no graph input, initializer or node output (a dangling input)");
      }
      ++waiting[static_cast<size_t>(i)];
      readers[static_cast<size_t>(it->second)].push_back(i);
    }
  }
  for (const auto &out : g.output()) {
    if (!given.count(out.name()) && !producer.count(out.name()))
      fail(EBADMSG, "graph output '", out.name(), "' is produced by no node");
  }
  // Kahn's algorithm, always taking the earliest ready node, so a sorted graph keeps its order.
  std::set<int> ready;
  for (int i = 0; i < g.node_size(); ++i)
    if (waiting[static_cast<size_t>(i)] == 0) ready.insert(i);
  std::vector<int> order;
  std::vector<bool> sorted(static_cast<size_t>(g.node_size()), false);
  while (!ready.empty()) {
    const int i = *ready.begin();
    ready.erase(ready.begin());
    order.push_back(i);
    sorted[static_cast<size_t>(i)] = true;
    for (int r : readers[static_cast<size_t>(i)])
      if (--waiting[static_cast<size_t>(r)] == 0) ready.insert(r);
  }
  if (order.size() != static_cast<size_t>(g.node_size())) {
    for (int i = 0; i < g.node_size(); ++i)
      if (!sorted[static_cast<size_t>(i)]) report_cycle(g, producer, sorted, i);
  }
  google::protobuf::RepeatedPtrField<onnx::NodeProto> nodes;
  for (int i : order)
    *nodes.Add() = g.node(i);
  g.mutable_node()->Swap(&nodes);
}

}  // namespace zaccel
