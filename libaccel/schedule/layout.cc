#include "schedule/layout.h"

#include <algorithm>
#include <cerrno>

#include "util/error.h"
#include "zaccel_drm.h"

namespace zaccel::sched {
namespace {

constexpr uint64_t kReportBytes = sizeof(drm_zaccel_report);

}  // namespace

BatchLayout::BatchLayout(const QModel &q, const Plan &plan, uint32_t max_batch, uint32_t regions)
    : q_(q),
      units_(plan.layers.size()),
      regions_(regions),
      max_batch_(max_batch),
      job_images_(std::min(std::max(plan.batch, 1u), max_batch)) {
  if (max_batch == 0) fail(EINVAL, "batch of zero images");
  std::vector<uint32_t> covered(q.layers.size());
  unsigned part = 0;
  for (const PlannedLayer &p : plan.layers) {
    if (p.source >= q.layers.size() || q.layers[p.source].name != p.layer->name)
      fail(EINVAL, "the plan is not for this model");
    // A cascade's parts write partial sums in turn; its last writes the layer's output.
    part = p.layer->acc_in ? part + 1 : 0;
    sums_at_.push_back(part % 2);
    if (p.layer->acc_out) {
      sums_bytes_ = std::max<uint64_t>(sums_bytes_, q.layers[p.source].out.size() * 8 * max_batch);
      continue;
    }
    covered[p.source] += p.out_hi - p.out_lo;
  }
  for (size_t i = 0; i < q.layers.size(); ++i) {
    if (covered[i] != (q.layers[i].kind == LayerKind::kConcat ? 0 : q.layers[i].out.c))
      fail(EINVAL, "the plan is not for this model");
  }
  const size_t n = q.layers.size();
  for (uint32_t t = 0; t <= n; ++t)
    homes_.push_back({t, 0, 0});
  // A Concat's operands are written side by side into its buffer, each image's after the
  // other's; every argument offset must be 8-byte aligned.
  for (uint32_t c = 0; c < n; ++c) {
    const QLayer &cat = q.layers[c];
    if (cat.kind != LayerKind::kConcat) continue;
    uint64_t offset = 0;
    for (uint32_t t : cat.src) {
      if (offset % 4) {
        fail(EOPNOTSUPP, "layer ", cat.name, ": its operand ", q.layers[t - 1].name,
             " would start at value ", offset, " of an image, not 8-byte aligned");
      }
      homes_[t] = {c + 1, offset, cat.out.size()};
      offset += q.tensor_dims(t).size();
    }
  }
  reads_.assign(n, std::vector<bool>(n, false));
  for (size_t l = 0; l < n; ++l) {
    const size_t inputs = q.layers[l].kind == LayerKind::kAdd ? 2 : 1;
    for (size_t k = 0; k < inputs; ++k) {
      const uint32_t t = q.source(l, k);
      if (t == 0) continue;
      const QLayer &from = q.layers[t - 1];
      if (from.kind != LayerKind::kConcat) reads_[l][t - 1] = true;
      for (uint32_t o : from.kind == LayerKind::kConcat ? from.src : std::vector<uint32_t>{})
        reads_[l][o - 1] = true;
    }
  }
}

uint64_t BatchLayout::act_offset(uint64_t count, uint32_t first_img) const {
  const uint64_t job_bytes = (uint64_t{job_images_} * count * 2 + 7) / 8 * 8;
  return (first_img + job_images_ - 1) / job_images_ * job_bytes;
}

uint64_t BatchLayout::tensor_bytes(uint32_t t) const {
  return act_offset(q_.tensor_dims(t).size(), max_batch_);
}

uint64_t BatchLayout::record(size_t unit, uint32_t first_img) const {
  return (first_img / job_images_ * units_ + unit) * kReportBytes;
}

uint64_t BatchLayout::pr_record(size_t k) const {
  return (uint64_t{chunks()} * units_ + k) * kReportBytes;
}

uint64_t BatchLayout::reports_bytes() const {
  return pr_record(std::max(regions_, units_));
}

uint64_t BatchLayout::batch_bytes() const {
  uint64_t bytes = 2 * sums_bytes_ + reports_bytes();
  for (uint32_t t = 0; t <= q_.layers.size(); ++t)
    bytes += tensor_bytes(t);
  return bytes;
}

}  // namespace zaccel::sched
