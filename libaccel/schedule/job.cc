#include "schedule/job.h"

#include <algorithm>

namespace zaccel::sched {

bool streams_weights(const LayerIp &ip) {
  return ip.id.weight_mode == DRM_ZACCEL_WEIGHTS_STREAMED ||
         ip.id.weight_mode == DRM_ZACCEL_WEIGHTS_BATCH_CACHED;
}

Submit job(const QModel &q, const Plan &plan, const BatchLayout &layout, size_t unit,
           uint32_t batch, uint32_t n, uint32_t first_img, uint32_t region) {
  const PlannedLayer &p = plan.layers[unit];
  const QLayer &l = *p.layer;
  const size_t s = p.source;
  const uint32_t cnt = std::min(layout.job_images(), n - first_img);
  const Home &in = layout.home(q.source(s)), &out = layout.home(static_cast<uint32_t>(s + 1));
  const uint64_t in_size = q.tensor_dims(q.source(s)).size();
  const uint64_t whole = q.layers[s].out.size(), plane = whole / q.layers[s].out.c;
  // A part of a cascade, or a slice of a grouped conv, reads its input channels of each image
  // (register IN_STRIDE strides over the rest); a part of a cascade passes its partial sums
  // on, 64-bit and packed. A tensor that is a Concat's operand lives in the Concat's buffer,
  // strided likewise.
  const bool part = p.in_hi - p.in_lo < q.layers[s].in.c;
  const uint64_t in_plane = in_size / q.layers[s].in.c;
  const uint64_t in_stride = in.stride ? in.stride : in_size;
  const uint64_t out_stride = out.stride ? out.stride : whole;
  Submit sub;
  sub.region = region;
  sub.slot = p.slot;
  sub.unit = static_cast<uint32_t>(unit);
  sub.batch = batch;
  sub.first_img = first_img;
  sub.record = layout.record(unit, first_img);
  sub.args.push_back(
      {{BufKind::kTensor, batch, in.buffer},
       DRM_ZACCEL_ARG_READ,
       layout.act_offset(in_stride, first_img) + (in.offset + p.in_lo * in_plane) * 2,
       ((cnt - 1) * in_stride + uint64_t{p.in_hi - p.in_lo} * in_plane) * 2});
  const uint64_t sums_at = uint64_t{first_img} * whole * 8, sums_size = uint64_t{cnt} * whole * 8;
  if (l.acc_out) {
    sub.args.push_back(
        {{BufKind::kSums, batch, layout.sums_at(unit)}, DRM_ZACCEL_ARG_WRITE, sums_at, sums_size});
  } else {
    sub.args.push_back(
        {{BufKind::kTensor, batch, out.buffer},
         DRM_ZACCEL_ARG_WRITE,
         layout.act_offset(out_stride, first_img) + (out.offset + p.out_lo * plane) * 2,
         ((cnt - 1) * out_stride + uint64_t{p.out_hi - p.out_lo} * plane) * 2});
  }
  if (l.acc_in) {
    sub.args.push_back({{BufKind::kSums, batch, 1 - layout.sums_at(unit)},
                        DRM_ZACCEL_ARG_READ,
                        sums_at,
                        sums_size});
  }
  const Home &in2 = layout.home(l.kind == LayerKind::kAdd ? q.source(s, 1) : 0);
  const uint64_t in2_stride = in2.stride ? in2.stride : in_size;
  if (l.kind == LayerKind::kAdd) {  // its second operand
    sub.args.push_back({{BufKind::kTensor, batch, in2.buffer},
                        DRM_ZACCEL_ARG_READ,
                        layout.act_offset(in2_stride, first_img) + in2.offset * 2,
                        ((cnt - 1) * in2_stride + in_size) * 2});
  }
  // A batch-cached IP loads its weights with the batch's first job and keeps them.
  const bool keep = first_img > 0 && p.ip.id.weight_mode == DRM_ZACCEL_WEIGHTS_BATCH_CACHED;
  if (streams_weights(p.ip) && !keep) {
    const auto u = static_cast<uint32_t>(unit);
    sub.args.push_back(
        {{BufKind::kWeights, 0, u}, DRM_ZACCEL_ARG_READ, 0, uint64_t{l.weights.size()} * 2});
    if (!l.bias.empty())
      sub.args.push_back(
          {{BufKind::kBias, 0, u}, DRM_ZACCEL_ARG_READ, 0, uint64_t{l.bias.size()} * 8});
  }
  // DRM_ZACCEL_JOB_REG_*, those after the control bits passed only up to the last not zero.
  sub.regs.assign(DRM_ZACCEL_JOB_REG_IN2_STRIDE + 1, 0);
  sub.regs[DRM_ZACCEL_JOB_REG_IMAGES] = cnt;
  sub.regs[DRM_ZACCEL_JOB_REG_SHIFT] = static_cast<uint32_t>(p.ip.shift);
  sub.regs[DRM_ZACCEL_JOB_REG_CONTROL] = keep ? uint32_t{DRM_ZACCEL_JOB_KEEP_WEIGHTS} : 0u;
  sub.regs[DRM_ZACCEL_JOB_REG_OUT_STRIDE] =
      p.split || out.stride ? static_cast<uint32_t>(out_stride) : 0u;
  sub.regs[DRM_ZACCEL_JOB_REG_IN_STRIDE] =
      part || in.stride ? static_cast<uint32_t>(in_stride) : 0u;
  sub.regs[DRM_ZACCEL_JOB_REG_ACT] = p.ip.act_param;
  sub.regs[DRM_ZACCEL_JOB_REG_ALIGN] = static_cast<uint32_t>(p.ip.align);
  sub.regs[DRM_ZACCEL_JOB_REG_IN2_STRIDE] = static_cast<uint32_t>(in2.stride);
  while (sub.regs.size() > DRM_ZACCEL_JOB_REG_CONTROL + 1 && sub.regs.back() == 0)
    sub.regs.pop_back();
  return sub;
}

}  // namespace zaccel::sched
