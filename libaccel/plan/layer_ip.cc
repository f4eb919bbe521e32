#include "plan/layer_ip.h"

#include <algorithm>
#include <cerrno>
#include <string>

#include "util/error.h"

namespace zaccel {
namespace {

constexpr uint32_t kIpVersion = 1 << 16;  // 1.0

void pack_window(const Window &w, drm_zaccel_ip_id &id) {
  id.kernel = w.kh << 16 | w.kw;
  id.stride =
      DRM_ZACCEL_IP_STEP(w.stride_h, w.dil_h) << 16 | DRM_ZACCEL_IP_STEP(w.stride_w, w.dil_w);
  id.padding = w.pad_top << 24 | w.pad_left << 16 | w.pad_bottom << 8 | w.pad_right;
}

/// MACs per cycle until the planner chooses: a row of the window per output channel.
uint32_t default_lanes(const QLayer &l) {
  switch (l.kind) {
    case LayerKind::kConv:
      return std::min<uint32_t>(l.out.c * l.conv.win.kw, 64);
    case LayerKind::kFc:
      return std::min<uint32_t>(l.out.c, 32);
    case LayerKind::kAdd:
      return kAddLanes;
    default:
      return std::max<uint32_t>(l.in.c, 1);
  }
}

// The identity flags of a conv or fc IP's output stage.
uint32_t output_flags(const kernels::Requant &rq) {
  return (rq.relu ? DRM_ZACCEL_IP_RELU : 0u) | DRM_ZACCEL_IP_ACT(static_cast<uint32_t>(rq.act));
}

// DRM_ZACCEL_JOB_REG_ACT: a clip's bounds, hi << 16 | lo; a leaky ReLU's slope; a hard
// sigmoid's b << 16 | a; a hard swish's output fractional bits.
uint32_t act_param(const kernels::Requant &rq) {
  if (rq.act == kernels::Act::kLeaky) return rq.slope;
  if (rq.act == kernels::Act::kHardSigmoid)
    return uint32_t{static_cast<uint16_t>(rq.offset)} << 16 | rq.slope;
  if (rq.act == kernels::Act::kHardSwish) return static_cast<uint32_t>(rq.frac);
  if (rq.act != kernels::Act::kClip) return 0;
  return uint32_t{static_cast<uint16_t>(rq.hi)} << 16 | static_cast<uint16_t>(rq.lo);
}

}  // namespace

LayerIp layer_ip(const QLayer &l, unsigned in_bits, uint32_t weight_mode, uint32_t lanes) {
  LayerIp ip;
  drm_zaccel_ip_id &id = ip.id;
  id.magic = ZACCEL_IP_MAGIC;
  id.version = kIpVersion;
  id.in_c = l.in.c;
  id.in_h = l.in.h;
  id.in_w = l.in.w;
  id.out_c = l.out.c;
  id.out_h = l.out.h;
  id.out_w = l.out.w;
  id.lanes = lanes ? lanes : default_lanes(l);
  const unsigned out_bits =
      l.kind == LayerKind::kConv || l.kind == LayerKind::kFc ? l.abits : in_bits;
  id.bits = l.wbits << 16 | in_bits << 8 | out_bits;
  id.weight_mode = l.weights.empty() ? DRM_ZACCEL_WEIGHTS_NONE : weight_mode;
  switch (l.kind) {
    case LayerKind::kConv:
      id.kind = DRM_ZACCEL_IP_CONV;
      id.flags = output_flags(l.conv.rq) | DRM_ZACCEL_IP_GROUPS(l.conv.groups);
      pack_window(l.conv.win, id);
      ip.shift = l.conv.rq.shift;
      ip.act_param = act_param(l.conv.rq);
      break;
    case LayerKind::kFc:
      id.kind = DRM_ZACCEL_IP_FC;
      id.flags = output_flags(l.fc.rq);
      id.in_c = static_cast<uint32_t>(l.in.size());
      id.in_h = id.in_w = 1;
      ip.shift = l.fc.rq.shift;
      ip.act_param = act_param(l.fc.rq);
      break;
    case LayerKind::kPool:
      id.kind = DRM_ZACCEL_IP_POOL;
      if (l.pool.kind == kernels::PoolKind::kAverage) id.flags |= DRM_ZACCEL_IP_AVG_POOL;
      if (l.pool.count_include_pad) id.flags |= DRM_ZACCEL_IP_COUNT_PAD;
      pack_window(l.pool.win, id);
      break;
    case LayerKind::kAdd:
      id.kind = DRM_ZACCEL_IP_ELTWISE;
      id.flags = DRM_ZACCEL_IP_ELTWISE_OP(DRM_ZACCEL_ELTWISE_ADD) |
                 (l.add.rq.relu ? uint32_t{DRM_ZACCEL_IP_RELU} : 0u);
      id.bits = in_bits << 8 | l.abits;
      pack_window(Window{}, id);
      ip.shift = l.add.rq.shift;
      ip.align = l.add.align;
      break;
    case LayerKind::kRelu:
      id.kind = DRM_ZACCEL_IP_POOL;
      id.flags = DRM_ZACCEL_IP_RELU;
      pack_window(Window{}, id);
      break;
    default:
      fail(EOPNOTSUPP, "layer ", l.name, ": no IP computes a ", layer_kind_name(l.kind), " layer");
  }
  if (l.acc_in) id.flags |= DRM_ZACCEL_IP_ACC_IN;
  if (l.acc_out) id.flags |= DRM_ZACCEL_IP_ACC_OUT;
  return ip;
}

std::vector<unsigned> layer_input_bits(const QModel &q) {
  // A pool or ReLU keeps its input's bits; a conv, fc or Add gives its own.
  std::vector<unsigned> bits, out;
  for (size_t i = 0; i < q.layers.size(); ++i) {
    const QLayer &l = q.layers[i];
    const uint32_t t = q.source(i);
    bits.push_back(t ? out.at(t - 1) : q.in_bits);
    const bool own =
        l.kind == LayerKind::kConv || l.kind == LayerKind::kFc || l.kind == LayerKind::kAdd;
    out.push_back(own ? l.abits : bits.back());
  }
  return bits;
}

}  // namespace zaccel
