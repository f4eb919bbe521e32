#include "model/slice.h"

#include <cerrno>

#include "util/error.h"

namespace zaccel {
namespace {

void need_ungrouped(const QLayer &l) {
  if (l.kind == LayerKind::kConv && l.conv.groups != 1)
    fail(EOPNOTSUPP, "layer ", l.name, ": a grouped convolution is not split by input channel");
}

}  // namespace

QLayer slice_out_channels(const QLayer &l, uint32_t lo, uint32_t hi) {
  if (l.kind != LayerKind::kConv && l.kind != LayerKind::kFc)
    fail(EINVAL, "layer ", l.name, ": only conv and fc layers split by output channel");
  if (lo >= hi || hi > l.out.c)
    fail(EINVAL, "layer ", l.name, ": output channels [", lo, ", ", hi, ") of ", l.out.c);
  const uint32_t groups = l.kind == LayerKind::kConv ? l.conv.groups : 1;
  const uint32_t out_per_group = l.out.c / groups;
  if (groups > 1 && (lo % out_per_group || hi % out_per_group)) {
    fail(EINVAL, "layer ", l.name, ": output channels [", lo, ", ", hi, ") cut its ", groups,
         " groups of ", out_per_group);
  }
  QLayer s = l;
  const size_t per = l.weights.size() / l.out.c;  // weights of one output channel
  s.weights.assign(l.weights.begin() + lo * per, l.weights.begin() + hi * per);
  if (!l.bias.empty()) s.bias.assign(l.bias.begin() + lo, l.bias.begin() + hi);
  s.out.c = hi - lo;
  if (l.kind == LayerKind::kConv) {
    // A grouped conv's slice is its groups [lo, hi) / out_per_group, on their input channels.
    s.conv.out_c = hi - lo;
    if (groups > 1) {
      s.conv.groups = (hi - lo) / out_per_group;
      s.in.c = s.conv.in.c = s.conv.groups * (l.in.c / groups);
    }
  } else {
    s.fc.out = hi - lo;
  }
  return s;
}

std::pair<uint32_t, uint32_t> slice_inputs(const QLayer &l, uint32_t lo, uint32_t hi) {
  if (l.kind != LayerKind::kConv || l.conv.groups == 1) return {0, l.in.c};
  const uint32_t out_per_group = l.out.c / l.conv.groups, in_per_group = l.in.c / l.conv.groups;
  return {lo / out_per_group * in_per_group, hi / out_per_group * in_per_group};
}

QLayer slice_in_channels(const QLayer &l, uint32_t lo, uint32_t hi, bool first, bool last) {
  if (l.kind != LayerKind::kConv && l.kind != LayerKind::kFc)
    fail(EINVAL, "layer ", l.name, ": only conv and fc layers split by input channel");
  need_ungrouped(l);
  if (lo >= hi || hi > l.in.c)
    fail(EINVAL, "layer ", l.name, ": input channels [", lo, ", ", hi, ") of ", l.in.c);
  QLayer s = l;
  // Each output channel's weights are [in.c][per]: a window (conv) or a plane (fc).
  const size_t per = l.weights.size() / l.out.c / l.in.c;
  s.weights.clear();
  for (size_t o = 0; o < l.out.c; ++o) {
    const auto row = l.weights.begin() + static_cast<std::ptrdiff_t>(o * l.in.c * per);
    s.weights.insert(s.weights.end(), row + lo * per, row + hi * per);
  }
  if (!last) s.bias.clear();
  s.in.c = hi - lo;
  s.acc_in = !first;
  s.acc_out = !last;
  if (l.kind == LayerKind::kConv) {
    s.conv.in.c = hi - lo;
    if (!last) s.conv.rq = {s.conv.rq.shift, s.conv.rq.bits};
  } else {
    s.fc.in = static_cast<uint32_t>(s.in.size());
    if (!last) s.fc.rq = {s.fc.rq.shift, s.fc.rq.bits};
  }
  return s;
}

}  // namespace zaccel
