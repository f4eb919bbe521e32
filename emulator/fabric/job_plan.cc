#include "fabric/job_plan.h"

#include <cerrno>
#include <cstring>

#include "util/error.h"

namespace zaccel::emu {
namespace {

template <typename T>
std::vector<T> gather(const BoRange &r, uint64_t count, const char *what) {
  if (r.size < count * sizeof(T)) {
    fail(EINVAL, what, " argument holds ", r.size, " bytes, the IP needs ", count * sizeof(T));
  }
  std::vector<T> v(count);
  std::memcpy(v.data(), r.bo->ddr() + r.offset, count * sizeof(T));
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
  if (ip.weights.size() != nw || (!ip.bias.empty() && ip.bias.size() != ip_bias_count(ip.id)) ||
      (!embedded && !ip.bias.empty())) {
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
  const size_t want = loads ? 4 : 2;
  if (w.args.size() != want && !(loads && w.args.size() == 3)) {
    fail(EINVAL, "the IP takes ", want, " arguments, the job passes ", w.args.size());
  }
  if (!(w.arg_flags[0] & DRM_ZACCEL_ARG_READ) || !(w.arg_flags[1] & DRM_ZACCEL_ARG_WRITE)) {
    fail(EINVAL, "argument 0 must be readable and argument 1 writable");
  }
  if (w.regs.empty() || w.regs[0] == 0) fail(EINVAL, "register 0 (images) is zero");
  JobPlan p;
  p.job.images = w.regs[0];
  p.job.shift = w.regs.size() > 1 ? static_cast<int32_t>(w.regs[1]) : 0;
  const uint64_t n = p.job.images;
  if (n > (uint64_t{1} << 32) / (ip_input_count(id) + ip_output_count(id))) {
    fail(EINVAL, "too many images for one job");
  }
  p.in = gather<int16_t>(w.args[0], n * ip_input_count(id), "input");
  p.out_count = n * ip_output_count(id);
  p.out_stride = w.regs.size() > 3 && w.regs[3] ? w.regs[3] : ip_output_count(id);
  if (p.out_stride < ip_output_count(id)) {
    fail(EINVAL, "register 3: an output stride of ", p.out_stride, " values, the IP writes ",
         ip_output_count(id), " per image");
  }
  const uint64_t reach = ((n - 1) * p.out_stride + ip_output_count(id)) * 2;
  if (w.args[1].size < reach) {
    fail(EINVAL, "output argument holds ", w.args[1].size, " bytes, the IP writes to ", reach);
  }
  p.job.in = p.in.data();
  p.in_bytes = p.in.size() * 2;
  p.out_bytes = p.out_count * 2;
  if (loads) {
    auto got = std::make_shared<JobWeights>();
    got->weights = gather<int16_t>(w.args[2], ip_weight_count(id), "weights");
    const uint64_t times = id.weight_mode == DRM_ZACCEL_WEIGHTS_STREAMED ? n : 1;
    p.in_bytes += times * got->weights.size() * 2;
    if (w.args.size() == 4) {
      got->bias = gather<int64_t>(w.args[3], ip_bias_count(id), "bias");
      p.in_bytes += got->bias.size() * 8;
    }
    p.loads_cache = id.weight_mode == DRM_ZACCEL_WEIGHTS_BATCH_CACHED;
    kept = std::move(got);
  }
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
