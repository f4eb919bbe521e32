#include "run/session.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "bitstream/partial.h"
#include "fabric/board.h"
#include "util/error.h"

namespace zaccel {
namespace {

constexpr uint64_t kWaitMs = 60'000;  // wall-clock bound on one batch

}  // namespace

Session::Session(dev::Device &dev, const QModel &q, uint32_t max_batch)
    : dev_(dev), q_(q), max_batch_(max_batch), regions_(dev.num_regions()) {
  if (max_batch == 0) fail(EINVAL, "batch of zero images");
  if (regions_ == 0) fail(ENODEV, dev.name(), " has no reconfigurable region");
  const std::vector<unsigned> in_bits = layer_input_bits(q);
  acts_.push_back(std::make_unique<dev::Bo>(dev, uint64_t{max_batch} * q.input.size() * 2, 0));
  for (size_t i = 0; i < q.layers.size(); ++i) {
    const QLayer &l = q.layers[i];
    const uint32_t r = static_cast<uint32_t>(i % regions_);
    ips_.push_back(layer_ip(l, in_bits[i], DRM_ZACCEL_WEIGHTS_EMBEDDED));
    const std::vector<uint8_t> bits = build_layer_partial(dev, l, ips_.back(), r);
    auto bo = std::make_unique<dev::Bo>(dev, bits.size(), DRM_ZACCEL_BO_WRITE_COMBINED);
    std::memcpy(bo->data(), bits.data(), bits.size());
    partials_.push_back(std::move(bo));
    acts_.push_back(std::make_unique<dev::Bo>(dev, uint64_t{max_batch} * l.out.size() * 2, 0));
    pr_done_.push_back(std::make_unique<dev::Syncobj>(dev));
    job_done_.push_back(std::make_unique<dev::Syncobj>(dev));
  }
  reports_ = std::make_unique<dev::Bo>(dev, 2 * q.layers.size() * sizeof(drm_zaccel_report), 0);
  loaded_.assign(regions_, -1);
}

Session::~Session() {
  // Buffers must outlive the jobs that use them: wait for the last one, if any.
  if (ran_ && !job_done_.empty()) {
    try {
      job_done_.back()->wait(dev::deadline_after_ms(kWaitMs));
    } catch (const Error &) {
    }
  }
}

void Session::run(size_t n, const int16_t *in, int16_t *out) {
  for (size_t i = 0; i < n; i += max_batch_) {
    const uint32_t cnt = static_cast<uint32_t>(std::min<size_t>(max_batch_, n - i));
    run_batch(cnt, in + i * q_.input.size(), out + i * q_.output.size());
  }
}

void Session::run_batch(uint32_t n, const int16_t *in, int16_t *out) {
  if (q_.layers.empty()) fail(EINVAL, "model has no layers");
  dev::Bo &input = *acts_[0];
  input.prep(DRM_ZACCEL_PREP_WRITE, dev::deadline_after_ms(kWaitMs));
  std::memcpy(input.data(), in, size_t{n} * q_.input.size() * 2);
  input.fini();
  const bool first = !ran_;
  ran_ = true;
  std::vector<bool> reconfigured(q_.layers.size(), false);
  for (size_t i = 0; i < q_.layers.size(); ++i) {
    const QLayer &l = q_.layers[i];
    const uint32_t r = static_cast<uint32_t>(i % regions_);
    std::vector<uint32_t> waits;
    if (loaded_[r] != static_cast<int>(i)) {
      loaded_[r] = -1;
      dev_.reconfig(r, *partials_[i], 0, partials_[i]->size(), {ips_[i].id}, {},
                    pr_done_[i]->handle(), {reports_.get(), 2 * i * sizeof(drm_zaccel_report)});
      loaded_[r] = static_cast<int>(i);
      reconfigured[i] = true;
      waits.push_back(pr_done_[i]->handle());
    }
    // Layer 0 waits for the previous batch: the host reads its results before this input.
    if (i > 0 || !first) waits.push_back(job_done_[i > 0 ? i - 1 : q_.layers.size() - 1]->handle());
    const uint64_t in_bytes = uint64_t{n} * (i ? q_.layers[i - 1].out.size() : q_.input.size()) * 2;
    const std::vector<drm_zaccel_arg> args = {
        {acts_[i]->handle(), DRM_ZACCEL_ARG_READ, 0, in_bytes},
        {acts_[i + 1]->handle(), DRM_ZACCEL_ARG_WRITE, 0, uint64_t{n} * l.out.size() * 2}};
    dev_.submit(r, 0, args, {n, static_cast<uint32_t>(ips_[i].shift)}, waits,
                job_done_[i]->handle(), {reports_.get(), (2 * i + 1) * sizeof(drm_zaccel_report)});
  }
  try {
    job_done_.back()->wait(dev::deadline_after_ms(kWaitMs));
    reports_->prep(DRM_ZACCEL_PREP_READ, dev::deadline_after_ms(kWaitMs));
    for (size_t i = 0; i < q_.layers.size(); ++i) {
      const uint32_t r = static_cast<uint32_t>(i % regions_);
      drm_zaccel_report rec[2];
      std::memcpy(rec, reports_->data() + 2 * i * sizeof(drm_zaccel_report), sizeof(rec));
      if (reconfigured[i]) account(rec[0], r, q_.layers[i].name, true);
      account(rec[1], r, q_.layers[i].name, false);
    }
  } catch (const Error &) {
    loaded_.assign(regions_, -1);  // reload everything on the next batch
    throw;
  }
  dev::Bo &output = *acts_.back();
  output.prep(DRM_ZACCEL_PREP_READ, dev::deadline_after_ms(kWaitMs));
  std::memcpy(out, output.data(), size_t{n} * q_.output.size() * 2);
  stats_.images += n;
  ++stats_.batches;
}

void Session::account(const drm_zaccel_report &rep, uint32_t region, const std::string &layer,
                      bool pr) {
  if (rep.error && rep.error != ECANCELED) {
    fail(static_cast<int>(rep.error), "layer ", layer, " on region ", region, ": ",
         pr ? "reconfiguration" : "job", " failed: ", std::strerror(static_cast<int>(rep.error)));
  }
  if (rep.error) fail(ECANCELED, "layer ", layer, ": cancelled after an earlier failure");
  if (stats_.jobs == 0 && stats_.reconfigs == 0) stats_.first_ns = rep.start_ns;
  stats_.first_ns = std::min<uint64_t>(stats_.first_ns, rep.start_ns);
  stats_.last_ns = std::max<uint64_t>(stats_.last_ns, rep.end_ns);
  if (pr) {
    ++stats_.reconfigs;
    stats_.pr_ns += rep.end_ns - rep.start_ns;
    spans_.push_back({SpanKind::kPr, region, layer, rep.start_ns, rep.end_ns});
    return;
  }
  ++stats_.jobs;
  stats_.dma_ns += (rep.compute_start_ns - rep.start_ns) + (rep.end_ns - rep.compute_end_ns);
  stats_.compute_ns += rep.compute_end_ns - rep.compute_start_ns;
  spans_.push_back({SpanKind::kDma, region, layer + " in", rep.start_ns, rep.compute_start_ns});
  spans_.push_back({SpanKind::kCompute, region, layer, rep.compute_start_ns, rep.compute_end_ns});
  spans_.push_back({SpanKind::kDma, region, layer + " out", rep.compute_end_ns, rep.end_ns});
}

}  // namespace zaccel
