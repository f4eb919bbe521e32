#include "model/graph.h"

namespace zaccel {

const char *layer_kind_name(LayerKind k) {
  switch (k) {
    case LayerKind::kConv:
      return "conv";
    case LayerKind::kPool:
      return "pool";
    case LayerKind::kFc:
      return "fc";
    case LayerKind::kRelu:
      return "relu";
  }
  return "unknown";
}

size_t Layer::macs() const {
  if (kind == LayerKind::kConv) return out.size() * in.c * win.kh * win.kw;
  if (kind == LayerKind::kFc) return in.size() * out.c;
  return 0;
}

const Layer *Graph::find(const std::string &name) const {
  for (const Layer &l : layers)
    if (l.name == name) return &l;
  return nullptr;
}

}  // namespace zaccel
