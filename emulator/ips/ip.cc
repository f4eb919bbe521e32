#include "ips/ip.h"

#include <cerrno>

#include "kernels/conv2d.h"
#include "kernels/eltwise.h"
#include "kernels/fc.h"
#include "kernels/pool.h"
#include "util/checked.h"
#include "util/error.h"

namespace zaccel::emu {
namespace {

constexpr uint64_t kPipelineDepth = 32;
constexpr uint32_t kFlags = DRM_ZACCEL_IP_RELU | DRM_ZACCEL_IP_AVG_POOL | DRM_ZACCEL_IP_COUNT_PAD |
                            DRM_ZACCEL_IP_ACC_IN | DRM_ZACCEL_IP_ACC_OUT | DRM_ZACCEL_IP_ACT_MASK |
                            DRM_ZACCEL_IP_GROUPS_MASK | DRM_ZACCEL_IP_ELTWISE_MASK;
constexpr uint32_t kUnit = 1u << 16 | 1u;  // a 1x1 kernel or stride

kernels::Dims in_dims(const drm_zaccel_ip_id &id) {
  return {id.in_c, id.in_h, id.in_w};
}
kernels::Dims out_dims(const drm_zaccel_ip_id &id) {
  return {id.out_c, id.out_h, id.out_w};
}

uint32_t groups(const drm_zaccel_ip_id &id) {
  return DRM_ZACCEL_IP_GROUPS_OF(id.flags);
}

kernels::Window window(const drm_zaccel_ip_id &id) {
  kernels::Window w;
  w.kh = id.kernel >> 16;
  w.kw = id.kernel & 0xFFFF;
  w.stride_h = DRM_ZACCEL_IP_STEP_STRIDE(id.stride >> 16);
  w.stride_w = DRM_ZACCEL_IP_STEP_STRIDE(id.stride & 0xFFFF);
  w.dil_h = DRM_ZACCEL_IP_STEP_DILATION(id.stride >> 16);
  w.dil_w = DRM_ZACCEL_IP_STEP_DILATION(id.stride & 0xFFFF);
  w.pad_top = id.padding >> 24;
  w.pad_left = (id.padding >> 16) & 0xFF;
  w.pad_bottom = (id.padding >> 8) & 0xFF;
  w.pad_right = id.padding & 0xFF;
  return w;
}

unsigned wbits(const drm_zaccel_ip_id &id) {
  return id.bits >> 16;
}
unsigned in_bits(const drm_zaccel_ip_id &id) {
  return (id.bits >> 8) & 0xFF;
}
unsigned out_bits(const drm_zaccel_ip_id &id) {
  return id.bits & 0xFF;
}

bool bits_ok(unsigned b) {
  return b >= kernels::kMinBits && b <= kernels::kMaxBits;
}

kernels::Requant requant(const drm_zaccel_ip_id &id, const IpJob &job) {
  kernels::Requant rq{job.shift, out_bits(id), (id.flags & DRM_ZACCEL_IP_RELU) != 0};
  rq.act = static_cast<kernels::Act>(DRM_ZACCEL_IP_ACT_OF(id.flags));
  if (rq.act == kernels::Act::kClip) {
    rq.lo = static_cast<int16_t>(job.act_param & 0xFFFF);
    rq.hi = static_cast<int16_t>(job.act_param >> 16);
  }
  if (rq.act == kernels::Act::kLeaky) rq.slope = static_cast<uint16_t>(job.act_param);
  if (rq.act == kernels::Act::kHardSigmoid) {
    rq.slope = static_cast<uint16_t>(job.act_param & 0xFFFF);
    rq.offset = static_cast<int16_t>(job.act_param >> 16);
  }
  if (rq.act == kernels::Act::kHardSwish) rq.frac = static_cast<int32_t>(job.act_param);
  return kernels::with_table(rq);
}

kernels::PoolParams pool_params(const drm_zaccel_ip_id &id) {
  kernels::PoolParams p;
  p.in = in_dims(id);
  p.win = window(id);
  p.kind =
      (id.flags & DRM_ZACCEL_IP_AVG_POOL) ? kernels::PoolKind::kAverage : kernels::PoolKind::kMax;
  p.count_include_pad = (id.flags & DRM_ZACCEL_IP_COUNT_PAD) != 0;
  return p;
}

/// Values of a c x h x w tensor, unless that overflows 64 bits (Dims::size() is a size_t,
/// 32 bits on the Zynq's ARM).
Checked count(const kernels::Dims &d) {
  return Checked(d.c) * d.h * d.w;
}

Checked weight_count(const drm_zaccel_ip_id &id) {
  const kernels::Window w = window(id);
  switch (id.kind) {
    case DRM_ZACCEL_IP_CONV:
      return Checked(id.out_c) * (id.in_c / groups(id)) * w.kh * w.kw;
    case DRM_ZACCEL_IP_FC:
      return Checked(id.out_c) * id.in_c;
    default:
      return 0;
  }
}

/// Output positions of a window over `in` input positions, 0 if it does not fit: what
/// kernels::window_extent() computes, without narrowing to 32 bits, so that an extent past
/// UINT32_MAX matches no output dimension instead of wrapping to one.
uint64_t window_extent(uint32_t in, uint32_t k, uint32_t stride, uint32_t pad_a, uint32_t pad_b,
                       uint32_t dil) {
  const uint64_t padded = uint64_t{in} + pad_a + pad_b, span = kernels::window_span(k, dil);
  if (k == 0 || stride == 0 || padded < span) return 0;
  return (padded - span) / stride + 1;
}

/// Operations per image the lanes share: MACs, or window elements for pooling.
Checked ops_per_image(const drm_zaccel_ip_id &id) {
  const kernels::Window w = window(id);
  switch (id.kind) {
    case DRM_ZACCEL_IP_CONV:
      return count(out_dims(id)) * (id.in_c / groups(id)) * w.kh * w.kw;
    case DRM_ZACCEL_IP_POOL:
      return count(out_dims(id)) * w.kh * w.kw;
    case DRM_ZACCEL_IP_ELTWISE:
      return count(out_dims(id));
    default:
      return Checked(id.in_c) * id.out_c;
  }
}

}  // namespace

void check_ip_id(const drm_zaccel_ip_id &id) {
  if (id.magic != ZACCEL_IP_MAGIC) fail(EINVAL, "IP identity: bad magic 0x", std::hex, id.magic);
  if (id.kind < DRM_ZACCEL_IP_CONV || id.kind > DRM_ZACCEL_IP_ELTWISE) {
    fail(EINVAL, "IP identity: unknown kind ", id.kind);
  }
  if (id.flags & ~kFlags) fail(EINVAL, "IP identity: unknown flags 0x", std::hex, id.flags);
  if (id.lanes == 0) fail(EINVAL, "IP identity: zero lanes");
  if (!bits_ok(in_bits(id)) || !bits_ok(out_bits(id))) {
    fail(EINVAL, "IP identity: activation bits out of range");
  }
  if (!count(in_dims(id)).ok() || !count(out_dims(id)).ok() || !weight_count(id).ok()) {
    fail(EINVAL, "IP identity: input, output or weight count overflows 64 bits");
  }
  if (ip_input_count(id) == 0 || ip_output_count(id) == 0) {
    fail(EINVAL, "IP identity: empty input or output");
  }
  if (id.kind == DRM_ZACCEL_IP_ELTWISE) {
    const uint32_t op = DRM_ZACCEL_IP_ELTWISE_OF(id.flags);
    if (op == 0 || op > DRM_ZACCEL_ELTWISE_MAX)
      fail(EINVAL, "IP identity: unknown element-wise operation ", op);
    if (id.flags & ~uint32_t{DRM_ZACCEL_IP_ELTWISE_MASK | DRM_ZACCEL_IP_RELU})
      fail(EINVAL, "IP identity: an element-wise IP takes no flag but ReLU");
    if (id.weight_mode != DRM_ZACCEL_WEIGHTS_NONE || id.bits >> 16)
      fail(EINVAL, "IP identity: an element-wise IP has no weights");
    if (id.out_c != id.in_c || id.out_h != id.in_h || id.out_w != id.in_w || id.kernel != kUnit ||
        id.stride != kUnit || id.padding)
      fail(EINVAL, "IP identity: an element-wise IP's output is its input's shape, 1x1, unpadded");
    return;
  }
  if (id.flags & DRM_ZACCEL_IP_ELTWISE_MASK)
    fail(EINVAL, "IP identity: an element-wise operation on an IP of kind ", id.kind);
  if (id.kind == DRM_ZACCEL_IP_POOL) {
    if (id.weight_mode != DRM_ZACCEL_WEIGHTS_NONE || id.bits >> 16) {
      fail(EINVAL, "IP identity: a pool IP has no weights");
    }
    if (id.flags & DRM_ZACCEL_IP_COUNT_PAD && !(id.flags & DRM_ZACCEL_IP_AVG_POOL)) {
      fail(EINVAL, "IP identity: COUNT_PAD without AVG_POOL");
    }
    if (id.flags & (DRM_ZACCEL_IP_ACC_IN | DRM_ZACCEL_IP_ACC_OUT))
      fail(EINVAL, "IP identity: partial sums on a pool IP");
  } else {
    if (id.weight_mode < DRM_ZACCEL_WEIGHTS_EMBEDDED ||
        id.weight_mode > DRM_ZACCEL_WEIGHTS_BATCH_CACHED) {
      fail(EINVAL, "IP identity: unknown weight mode ", id.weight_mode);
    }
    if (!bits_ok(wbits(id))) fail(EINVAL, "IP identity: weight bits out of range");
    if (id.flags & (DRM_ZACCEL_IP_AVG_POOL | DRM_ZACCEL_IP_COUNT_PAD)) {
      fail(EINVAL, "IP identity: pool flags on a conv or fc IP");
    }
    if ((id.flags & DRM_ZACCEL_IP_ACC_OUT) && (id.flags & DRM_ZACCEL_IP_RELU))
      fail(EINVAL, "IP identity: ReLU on partial sums (ACC_OUT)");
  }
  if (const uint32_t act = DRM_ZACCEL_IP_ACT_OF(id.flags)) {
    if (act > DRM_ZACCEL_ACT_MAX) fail(EINVAL, "IP identity: unknown activation ", act);
    if (id.kind == DRM_ZACCEL_IP_POOL || (id.flags & (DRM_ZACCEL_IP_RELU | DRM_ZACCEL_IP_ACC_OUT)))
      fail(EINVAL, "IP identity: an activation on a pool IP, with ReLU, or on partial sums");
  }
  if (const uint32_t g = groups(id); g > 1) {
    if (id.kind != DRM_ZACCEL_IP_CONV ||
        (id.flags & (DRM_ZACCEL_IP_ACC_IN | DRM_ZACCEL_IP_ACC_OUT)))
      fail(EINVAL, "IP identity: groups on an IP other than conv, or with partial sums");
    if (id.in_c % g || id.out_c % g)
      fail(EINVAL, "IP identity: ", g, " groups do not divide ", id.in_c, " input and ", id.out_c,
           " output channels");
  }
  if (id.kind == DRM_ZACCEL_IP_FC) {
    if (id.in_h != 1 || id.in_w != 1 || id.out_h != 1 || id.out_w != 1 || id.kernel || id.stride ||
        id.padding) {
      fail(EINVAL, "IP identity: an fc IP is 1x1 with no window");
    }
    return;
  }
  const uint32_t out_c = id.kind == DRM_ZACCEL_IP_POOL ? id.in_c : id.out_c;
  const kernels::Window w = window(id);
  if (out_c != id.out_c ||
      window_extent(id.in_h, w.kh, w.stride_h, w.pad_top, w.pad_bottom, w.dil_h) != id.out_h ||
      window_extent(id.in_w, w.kw, w.stride_w, w.pad_left, w.pad_right, w.dil_w) != id.out_w) {
    fail(EINVAL, "IP identity: output dimensions disagree with input and window");
  }
}

uint64_t ip_input_count(const drm_zaccel_ip_id &id) {
  const Checked n = count(in_dims(id));
  if (!n.ok()) fail(EINVAL, "IP identity: input count overflows 64 bits");
  return n.value();
}

uint64_t ip_output_count(const drm_zaccel_ip_id &id) {
  const Checked n = count(out_dims(id));
  if (!n.ok()) fail(EINVAL, "IP identity: output count overflows 64 bits");
  return n.value();
}

uint64_t ip_weight_count(const drm_zaccel_ip_id &id) {
  const Checked n = weight_count(id);
  if (!n.ok()) fail(EINVAL, "IP identity: weight count overflows 64 bits");
  return n.value();
}

uint64_t ip_output_bytes(const drm_zaccel_ip_id &id) {
  const Checked n = Checked(ip_output_count(id)) * (id.flags & DRM_ZACCEL_IP_ACC_OUT ? 8 : 2);
  if (!n.ok()) fail(EINVAL, "IP identity: output bytes overflow 64 bits");
  return n.value();
}

uint64_t ip_bias_count(const drm_zaccel_ip_id &id) {
  return id.kind == DRM_ZACCEL_IP_POOL || id.kind == DRM_ZACCEL_IP_ELTWISE ||
                 (id.flags & DRM_ZACCEL_IP_ACC_OUT)
             ? 0
             : id.out_c;
}

uint64_t ip_cycles(const drm_zaccel_ip_id &id, uint64_t images) {
  // A job's checks bound its images and data far below any overflow here; should the count
  // overflow all the same, it saturates rather than wraps to a short time.
  const Checked ops = ops_per_image(id);
  const uint64_t lanes = id.lanes ? id.lanes : 1;
  const Checked per_image =
      ops.ok() ? Checked(ops.value() / lanes + (ops.value() % lanes != 0)) : ops;
  return (Checked(images) * per_image + kPipelineDepth).value_or(UINT64_MAX);
}

void run_ip(const drm_zaccel_ip_id &id, const IpJob &job) {
  switch (id.kind) {
    case DRM_ZACCEL_IP_CONV:
      kernels::conv2d({in_dims(id), id.out_c, window(id), requant(id, job), groups(id)}, job.images,
                      job.in, job.weights, job.bias, job.out, {job.acc_in, job.acc_out});
      break;
    case DRM_ZACCEL_IP_FC:
      kernels::fc({id.in_c, id.out_c, requant(id, job)}, job.images, job.in, job.weights, job.bias,
                  job.out, {job.acc_in, job.acc_out});
      break;
    case DRM_ZACCEL_IP_ELTWISE:
      kernels::add({job.align, requant(id, job)}, host_size(job.images * ip_output_count(id)),
                   job.in, job.in2, job.out);
      break;
    default:
      kernels::pool(pool_params(id), job.images, job.in, job.out);
      if (id.flags & DRM_ZACCEL_IP_RELU) {
        kernels::relu(host_size(job.images * ip_output_count(id)), job.out);
      }
      break;
  }
}

}  // namespace zaccel::emu
