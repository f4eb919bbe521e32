// ONNX import: a node's attributes, read by type, with every attribute the importer does not
// know refused by name (so a setting it would ignore never changes the result silently).
#pragma once

#include <onnx/onnx_pb.h>

#include <cerrno>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "util/error.h"

namespace zaccel {

class Attrs {
 public:
  Attrs(const onnx::NodeProto &n, const std::string &ctx, const std::set<std::string> &known)
      : ctx_(ctx) {
    for (const auto &a : n.attribute()) {
      if (!known.count(a.name())) fail(EOPNOTSUPP, ctx, ": unsupported attribute '", a.name(), "'");
      map_[a.name()] = &a;
    }
  }
  int64_t i(const std::string &name, int64_t dflt) const {
    const auto *a = get(name, onnx::AttributeProto::INT);
    return a ? a->i() : dflt;
  }
  float f(const std::string &name, float dflt) const {
    const auto *a = get(name, onnx::AttributeProto::FLOAT);
    return a ? a->f() : dflt;
  }
  std::string s(const std::string &name, const std::string &dflt) const {
    const auto *a = get(name, onnx::AttributeProto::STRING);
    return a ? a->s() : dflt;
  }
  std::vector<int64_t> ints(const std::string &name, std::vector<int64_t> dflt) const {
    const auto *a = get(name, onnx::AttributeProto::INTS);
    return a ? std::vector<int64_t>(a->ints().begin(), a->ints().end()) : dflt;
  }
  bool has(const std::string &name) const { return map_.count(name) != 0; }

 private:
  const onnx::AttributeProto *get(const std::string &name,
                                  onnx::AttributeProto::AttributeType type) const {
    auto it = map_.find(name);
    if (it == map_.end()) return nullptr;
    if (it->second->type() != type)
      fail(EBADMSG, ctx_, ": attribute '", name, "' has the wrong type");
    return it->second;
  }
  std::string ctx_;
  std::map<std::string, const onnx::AttributeProto *> map_;
};

}  // namespace zaccel
