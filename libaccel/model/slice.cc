#include "model/slice.h"

#include <cerrno>

#include "util/error.h"

namespace zaccel {

QLayer slice_out_channels(const QLayer &l, uint32_t lo, uint32_t hi) {
  if (l.kind != LayerKind::kConv && l.kind != LayerKind::kFc)
    fail(EINVAL, "layer ", l.name, ": only conv and fc layers split by output channel");
  if (lo >= hi || hi > l.out.c)
    fail(EINVAL, "layer ", l.name, ": output channels [", lo, ", ", hi, ") of ", l.out.c);
  QLayer s = l;
  const size_t per = l.weights.size() / l.out.c;  // weights of one output channel
  s.weights.assign(l.weights.begin() + lo * per, l.weights.begin() + hi * per);
  if (!l.bias.empty()) s.bias.assign(l.bias.begin() + lo, l.bias.begin() + hi);
  s.out.c = hi - lo;
  if (l.kind == LayerKind::kConv) {
    s.conv.out_c = hi - lo;
  } else {
    s.fc.out = hi - lo;
  }
  return s;
}

}  // namespace zaccel
