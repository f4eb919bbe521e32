#include "fabric/job_plan.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "kernels/activation.h"
#include "kernels/eltwise.h"
#include "util/checked.h"
#include "util/error.h"

namespace zaccel::emu {
namespace {

template <typename T>
std::vector<T> gather(const BoRange &r, uint64_t count, const char *what) {
  const Checked bytes = Checked(count) * sizeof(T);
  if (!bytes.at_most(r.size)) {
    fail(EINVAL, what, " argument holds ", r.size, " bytes, the IP needs ", count, " values of ",
         sizeof(T));
  }
  std::vector<T> v(host_size(count));
  std::memcpy(v.data(), r.bo->ddr() + r.offset, v.size() * sizeof(T));
  return v;
}

/// Bytes from the start of the first of `n` images, `stride` values apart, to the end of the
/// last one's `count` values of `elem` bytes. Not ok() if that overflows 64 bits.
Checked extent(uint64_t n, uint64_t stride, uint64_t count, uint64_t elem) {
  return ((Checked(n) - 1) * stride + count) * elem;
}

std::string describe(const Checked &bytes) {
  return bytes.ok() ? std::to_string(bytes.value()) : "more than 2^64";
}

/// The `n` images of `count` values, `stride` apart, that argument `k` of `w` holds, packed;
/// `reg` names the stride's register in messages.
std::vector<int16_t> gather_images(const Work &w, size_t k, uint64_t n, uint64_t count,
                                   uint64_t stride, unsigned reg, const char *what) {
  if (!(w.arg_flags[k] & DRM_ZACCEL_ARG_READ)) fail(EINVAL, "argument ", k, " must be readable");
  if (stride < count) {
    fail(EINVAL, "register ", reg, ": an input stride of ", stride, " values, the IP reads ", count,
         " per image");
  }
  const Checked reach = extent(n, stride, count, 2);
  if (!reach.at_most(w.args[k].size)) {
    fail(EINVAL, what, " argument holds ", w.args[k].size, " bytes, the IP reads ",
         describe(reach));
  }
  std::vector<int16_t> v(host_size(n * count));  // n * count is at most the whole BO
  for (uint64_t i = 0; i < n; ++i) {
    std::memcpy(v.data() + i * count, w.args[k].bo->ddr() + w.args[k].offset + i * stride * 2,
                static_cast<size_t>(count) * 2);
  }
  return v;
}

bool streams(const drm_zaccel_ip_id &id) {
  return id.weight_mode == DRM_ZACCEL_WEIGHTS_STREAMED ||
         id.weight_mode == DRM_ZACCEL_WEIGHTS_BATCH_CACHED;
}

}  // namespace

void check_embedded(const IpImage &ip) {
  const bool embedded = ip.id.weight_mode == DRM_ZACCEL_WEIGHTS_EMBEDDED;
  const uint64_t nw = embedded ? ip_weight_count(ip.id) : 0;
  // A PRelu's slopes ride in its bias words: it cannot do without them.
  const bool prelu = DRM_ZACCEL_IP_ACT_OF(ip.id.flags) == DRM_ZACCEL_ACT_PRELU;
  if (ip.weights.size() != nw || (!ip.bias.empty() && ip.bias.size() != ip_bias_count(ip.id)) ||
      (!embedded && !ip.bias.empty()) || (embedded && prelu && ip.bias.empty())) {
    fail(EBADMSG, "partial holds ", ip.weights.size(), " weights and ", ip.bias.size(),
         " biases, its IP takes ", nw, " and ", embedded ? ip_bias_count(ip.id) : 0);
  }
}

JobPlan plan_job(const IpImage &ip, const Work &w, std::shared_ptr<const JobWeights> kept) {
  const drm_zaccel_ip_id &id = ip.id;
  const uint32_t control = w.regs.size() > 2 ? w.regs[2] : 0;
  if (control & ~uint32_t{DRM_ZACCEL_JOB_FLAGS}) {
    fail(EINVAL, "register 2: unknown control bits 0x", std::hex, control);
  }
  const bool keep = control & DRM_ZACCEL_JOB_KEEP_WEIGHTS;
  if (keep && id.weight_mode != DRM_ZACCEL_WEIGHTS_BATCH_CACHED) {
    fail(EINVAL, "KEEP_WEIGHTS on an IP whose weights are not batch-cached");
  }
  if (keep && !kept) fail(ENODATA, "KEEP_WEIGHTS, but the IP has kept no weights");
  const bool loads = streams(id) && !keep;
  const bool acc_in = id.flags & DRM_ZACCEL_IP_ACC_IN, acc_out = id.flags & DRM_ZACCEL_IP_ACC_OUT;
  const bool eltwise = id.kind == DRM_ZACCEL_IP_ELTWISE;
  // Arguments: in, out, [partial sums | second input], [weights, [bias]].
  const size_t first_weight = acc_in || eltwise ? 3 : 2;
  const size_t want = first_weight + (loads ? 2 : 0);
  const bool prelu = DRM_ZACCEL_IP_ACT_OF(id.flags) == DRM_ZACCEL_ACT_PRELU;
  if (w.args.size() != want && !(loads && !prelu && w.args.size() == want - 1)) {
    fail(EINVAL, "the IP takes ", want, " arguments, the job passes ", w.args.size());
  }
  if (!(w.arg_flags[0] & DRM_ZACCEL_ARG_READ) || !(w.arg_flags[1] & DRM_ZACCEL_ARG_WRITE)) {
    fail(EINVAL, "argument 0 must be readable and argument 1 writable");
  }
  if (w.regs.empty() || w.regs[0] == 0) fail(EINVAL, "register 0 (images) is zero");
  JobPlan p;
  p.job.images = w.regs[0];
  p.job.shift = w.regs.size() > 1 ? static_cast<int32_t>(w.regs[1]) : 0;
  p.job.act_param = w.regs.size() > DRM_ZACCEL_JOB_REG_ACT ? w.regs[DRM_ZACCEL_JOB_REG_ACT] : 0;
  if (DRM_ZACCEL_IP_ACT_OF(id.flags) == DRM_ZACCEL_ACT_CLIP &&
      static_cast<int16_t>(p.job.act_param & 0xFFFF) >
          static_cast<int16_t>(p.job.act_param >> 16)) {
    fail(EINVAL, "register 5: clip bounds with lo above hi");
  }
  if (DRM_ZACCEL_IP_ACT_OF(id.flags) == DRM_ZACCEL_ACT_PRELU && p.job.act_param != 0)
    fail(EINVAL, "register 5: ", p.job.act_param, " for a PRelu, whose slopes are its bias's");
  if (DRM_ZACCEL_IP_ACT_OF(id.flags) == DRM_ZACCEL_ACT_LEAKY && p.job.act_param > 0x7FFF)
    fail(EINVAL, "register 5: a leaky slope of ", p.job.act_param, ", above 32767 (Q0.15)");
  if (DRM_ZACCEL_IP_ACT_OF(id.flags) == DRM_ZACCEL_ACT_HARDSIGMOID &&
      (p.job.act_param & 0xFFFF) > 0x7FFF) {
    fail(EINVAL, "register 5: a hard sigmoid slope of ", p.job.act_param & 0xFFFF,
         ", above 32767 (Q0.15)");
  }
  if (DRM_ZACCEL_IP_ACT_OF(id.flags) == DRM_ZACCEL_ACT_HARDSWISH &&
      std::abs(static_cast<int32_t>(p.job.act_param)) > kernels::kHardSwishMaxFrac) {
    fail(EINVAL, "register 5: hard swish output fractional bits ",
         static_cast<int32_t>(p.job.act_param), ", beyond +-", kernels::kHardSwishMaxFrac);
  }
  auto reg = [&](unsigned r) { return w.regs.size() > r ? w.regs[r] : 0u; };
  if (eltwise) {
    p.job.align = static_cast<int32_t>(reg(DRM_ZACCEL_JOB_REG_ALIGN));
    if (p.job.align < -kernels::kMaxAlign || p.job.align > kernels::kMaxAlign)
      fail(EINVAL, "register 6: an alignment of ", p.job.align, ", outside -32 to 32");
  }
  const uint64_t n = p.job.images;
  const uint64_t in_count = ip_input_count(id), out_count = ip_output_count(id);
  // At most 2^32 values in and out, together, per job; the sum itself may overflow 64 bits.
  const Checked per_image = Checked(in_count) + out_count;
  if (!per_image.ok() || per_image.value() == 0 || n > (uint64_t{1} << 32) / per_image.value()) {
    fail(EINVAL, "too many images for one job");
  }
  p.in = gather_images(w, 0, n, in_count, reg(4) ? reg(4) : in_count, 4, "input");
  p.out_count = n * out_count;
  p.out_elem = acc_out ? 8 : 2;
  p.out_stride = w.regs.size() > 3 && w.regs[3] ? w.regs[3] : out_count;
  if (p.out_stride < out_count) {
    fail(EINVAL, "register 3: an output stride of ", p.out_stride, " values, the IP writes ",
         out_count, " per image");
  }
  const Checked reach = extent(n, p.out_stride, out_count, p.out_elem);
  if (!reach.at_most(w.args[1].size)) {
    fail(EINVAL, "output argument holds ", w.args[1].size, " bytes, the IP writes to ",
         describe(reach));
  }
  p.job.in = p.in.data();
  // The DMA's traffic: bounded by the checks above and the BOs, and checked all the same.
  Checked in_bytes = Checked(p.in.size()) * 2;
  if (eltwise) {
    const uint32_t stride = reg(DRM_ZACCEL_JOB_REG_IN2_STRIDE);
    p.in2 = gather_images(w, 2, n, in_count, stride ? stride : in_count, 7, "second input");
    p.job.in2 = p.in2.data();
    in_bytes = in_bytes + Checked(p.in2.size()) * 2;
  }
  const Checked out_bytes = Checked(p.out_count) * p.out_elem;
  if (acc_in) {
    if (!(w.arg_flags[2] & DRM_ZACCEL_ARG_READ)) fail(EINVAL, "argument 2 must be readable");
    p.acc_in = gather<int64_t>(w.args[2], p.out_count, "partial sums");
    p.job.acc_in = p.acc_in.data();
    in_bytes = in_bytes + Checked(p.acc_in.size()) * 8;
  }
  if (loads) {
    auto got = std::make_shared<JobWeights>();
    got->weights = gather<int16_t>(w.args[first_weight], ip_weight_count(id), "weights");
    const uint64_t times = id.weight_mode == DRM_ZACCEL_WEIGHTS_STREAMED ? n : 1;
    in_bytes = in_bytes + Checked(times) * got->weights.size() * 2;
    if (w.args.size() == want) {
      got->bias = gather<int64_t>(w.args[first_weight + 1], ip_bias_count(id), "bias");
      in_bytes = in_bytes + Checked(got->bias.size()) * 8;
    }
    p.loads_cache = id.weight_mode == DRM_ZACCEL_WEIGHTS_BATCH_CACHED;
    kept = std::move(got);
  }
  if (!in_bytes.ok() || !out_bytes.ok()) fail(EINVAL, "the job's DMA moves more than 2^64 bytes");
  p.in_bytes = in_bytes.value();
  p.out_bytes = out_bytes.value();
  if (streams(id)) {
    p.weights = std::move(kept);
    p.job.weights = p.weights->weights.data();
    p.job.bias = p.weights->bias.empty() ? nullptr : p.weights->bias.data();
  } else if (id.weight_mode == DRM_ZACCEL_WEIGHTS_EMBEDDED) {
    p.job.weights = ip.weights.data();
    p.job.bias = ip.bias.empty() ? nullptr : ip.bias.data();
  }
  return p;
}

}  // namespace zaccel::emu
