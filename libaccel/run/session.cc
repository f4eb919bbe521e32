#include "run/session.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "bitstream/partial.h"
#include "device/region_desc.h"
#include "util/checked.h"
#include "util/error.h"

namespace zaccel {
namespace {

constexpr uint64_t kWaitMs = 60'000;  // wall-clock bound on one batch
constexpr size_t kRecord = sizeof(drm_zaccel_report);

/// A write-combined BO holding `bytes` bytes from `data`.
std::unique_ptr<dev::Bo> bo_with(dev::Device &d, const void *data, size_t bytes) {
  auto bo = std::make_unique<dev::Bo>(d, std::max<size_t>(bytes, 8), DRM_ZACCEL_BO_WRITE_COMBINED);
  std::memcpy(bo->data(), data, bytes);
  return bo;
}

}  // namespace

Session::Session(dev::Device &dev, const QModel &q, const Plan &plan, uint32_t max_batch,
                 const SessionOptions &opts)
    : dev_(dev),
      q_(q),
      plan_(plan),
      max_batch_(max_batch),
      regions_(dev.num_regions()),
      layout_(q, plan, max_batch, dev.num_regions()),
      swapped_(plan.mode == PlanMode::kSdci),
      sdci_(std::max(dev.num_regions(), 1u)),
      opts_(opts),
      overlap_(dev.num_regions(), 0) {
  if (plan.groups.size() > regions_) {
    fail(ENOSPC, "the plan fills ", plan.groups.size(), " regions, ", dev.name(), " has ",
         regions_);
  }
  if (swapped_) {
    // Read from the plan's IP library and verified before anything loads, or built here.
    for (const PlannedLayer &p : plan.layers) {
      unit_partials_.emplace_back();
      for (uint32_t r = 0; r < regions_; ++r) {
        const std::vector<uint8_t> bits =
            p.lib_ip ? plan.library->verified_partial(*p.lib_ip, r, plan.verify)
                     : build_layer_partial(dev, *p.layer, p.ip, r);
        unit_partials_.back().push_back(bo_with(dev, bits.data(), bits.size()));
      }
    }
    const uint64_t sweep = std::max(plan.sweep, 1u);
    sweep_batches_ = static_cast<unsigned>(
        std::min<uint64_t>((sweep + max_batch - 1) / max_batch, uint64_t{1} << 20));
  }
  for (uint32_t g = 0; !swapped_ && g < plan.groups.size(); ++g) {
    emu::PartialContents c;
    const emu::RegionDesc desc = region_desc(dev, g);
    c.interface_id = desc.interface_id;
    for (size_t i : plan.groups[g])
      c.ips.push_back(
          layer_partial(*plan.layers[i].layer, plan.layers[i].ip, c.interface_id).ips[0]);
    const std::vector<uint8_t> bits = emu::build_partial(c, desc);
    partials_.push_back(bo_with(dev, bits.data(), bits.size()));
  }
  for (uint32_t r = 0; r < regions_; ++r)
    pr_done_.push_back(std::make_unique<dev::Syncobj>(dev));
  for (size_t i = 0; i < plan.layers.size(); ++i) {
    const QLayer &l = *plan.layers[i].layer;
    const bool stream = sched::streams_weights(plan.layers[i].ip);
    weights_.push_back(stream ? bo_with(dev, l.weights.data(), l.weights.size() * 2) : nullptr);
    biases_.push_back(stream && !l.bias.empty() ? bo_with(dev, l.bias.data(), l.bias.size() * 8)
                                                : nullptr);
    if (i + 1 < plan.layers.size()) job_done_.push_back(std::make_unique<dev::Syncobj>(dev));
  }
  // Every batch in flight has its own buffers: they must fit the device's DMA pool (checked
  // before anything is allocated, as a sweep sets how many batches are in flight).
  const uint64_t sets = swapped_ ? 2ull * sweep_batches_ : 8;
  const uint64_t set_bytes = layout_.batch_bytes();
  const uint64_t pool = dev.param(DRM_ZACCEL_PARAM_MAX_BO_SIZE);
  if (sets * set_bytes > pool) {
    fail(ENOMEM, sets, " batches in flight (", swapped_ ? "two sweeps of " : "",
         swapped_ ? std::to_string(sweep_batches_) + " batches of " : std::string(), max_batch,
         " images) need ", sets * set_bytes, " bytes of buffers, more than the device's ", pool,
         "-byte DMA pool", swapped_ ? ": choose a smaller sweep" : "");
  }
  batches_.resize(host_size(sets));
  // Work of two batches overlaps only while both are in flight: twice that is a safe window.
  overlap_ = PrOverlapMeter(regions_, 2 * batches_.size());
  for (Batch &b : batches_) {
    for (uint32_t t = 0; t <= q.layers.size(); ++t)
      b.acts.push_back(std::make_unique<dev::Bo>(dev, layout_.tensor_bytes(t), 0));
    b.reports = std::make_unique<dev::Bo>(dev, layout_.reports_bytes(), 0);
    b.done = std::make_unique<dev::Syncobj>(dev);
    for (uint32_t c = 0; swapped_ && c < layout_.chunks(); ++c)
      b.chunk_done.push_back(std::make_unique<dev::Syncobj>(dev));
    for (auto &sums : b.sums)
      if (layout_.sums_bytes()) sums = std::make_unique<dev::Bo>(dev, layout_.sums_bytes(), 0);
  }
}

Session::~Session() {
  drain();  // buffers must outlive the jobs that use them
}

void Session::run(size_t n, const int16_t *in, int16_t *out) {
  const unsigned sweeps = static_cast<unsigned>(batches_.size()) / sweep_batches_;
  try {
    for (size_t i = 0; i < n;) {
      // The sweep before last used these buffers: collect it first.
      std::vector<Batch *> sweep;
      for (unsigned k = 0; k < sweep_batches_; ++k) {
        Batch &b = batches_[next_ * sweep_batches_ + k];
        if (b.n) collect(b);
        if (i < n) {
          const uint32_t cnt = static_cast<uint32_t>(std::min<size_t>(max_batch_, n - i));
          stage(b, cnt, in + i * q_.input.size(), out + i * q_.output.size());
          sweep.push_back(&b);
          i += cnt;
        }
      }
      next_ = (next_ + 1) % sweeps;
      if (swapped_) {
        std::vector<uint32_t> sizes;
        for (Batch *b : sweep)
          sizes.push_back(b->n);
        execute(sched::sdci_sweep(q_, plan_, layout_, sizes, sdci_), sweep);
      } else {
        for (Batch *b : sweep) {
          execute(sched::resident_batch(q_, plan_, layout_, b->n, !loaded_), {b});
          loaded_ = true;
        }
      }
    }
    for (unsigned k = 0; k < batches_.size(); ++k) {  // oldest first
      Batch &b = batches_[(next_ * sweep_batches_ + k) % batches_.size()];
      if (b.n) collect(b);
    }
  } catch (const Error &) {
    drain();
    loaded_ = false;  // reload everything on the next run
    sdci_ = sched::SdciState(std::max(regions_, 1u));
    throw;
  }
}

void Session::drain() noexcept {
  for (Batch &b : batches_) {
    if (!b.n) continue;
    try {
      b.done->wait(dev::deadline_after_ms(kWaitMs));
    } catch (const Error &) {
    }
    b.n = 0;
  }
}

void Session::stage(Batch &b, uint32_t n, const int16_t *in, int16_t *out) {
  dev::Bo &input = *b.acts[0];
  input.prep(DRM_ZACCEL_PREP_WRITE, dev::deadline_after_ms(kWaitMs));
  const size_t image = q_.input.size();
  for (uint32_t first = 0; first < n; first += layout_.job_images()) {
    std::memcpy(input.data() + layout_.act_offset(image, first), in + first * image,
                std::min(layout_.job_images(), n - first) * image * 2);
  }
  input.fini();
  b.n = n;
  b.out = out;
  b.records.clear();
}

uint32_t Session::fence(const sched::Fence &f, const std::vector<Batch *> &sweep) const {
  switch (f.kind) {
    case sched::FenceKind::kLoaded:
      return pr_done_.at(f.index)->handle();
    case sched::FenceKind::kUnitDone:
      return job_done_.at(f.index)->handle();
    case sched::FenceKind::kBatchDone:
      return sweep.at(f.batch)->done->handle();
    case sched::FenceKind::kChunkDone:
      return sweep.at(f.batch)->chunk_done.at(f.index)->handle();
  }
  fail(EINVAL, "unknown fence");
}

void Session::execute(const std::vector<sched::Op> &ops, const std::vector<Batch *> &sweep) {
  std::vector<uint32_t> waits;
  const auto handles = [&](const std::vector<sched::Fence> &fences) {
    waits.clear();
    for (const sched::Fence &f : fences)
      waits.push_back(fence(f, sweep));
    return waits;
  };
  for (const sched::Op &op : ops) {
    if (const auto *r = std::get_if<sched::Reconfig>(&op)) {
      const dev::Bo &bits = r->unit < 0
                                ? *partials_.at(r->region)
                                : *unit_partials_.at(static_cast<size_t>(r->unit)).at(r->region);
      Batch &b = *sweep.at(r->batch);
      b.records.push_back({r->record, r->region, r->what, true});
      dev_.reconfig(r->region, bits, 0, bits.size(), r->expected, handles(r->waits),
                    fence(r->signal, sweep), {b.reports.get(), r->record});
      continue;
    }
    const auto &s = std::get<sched::Submit>(op);
    Batch &b = *sweep.at(s.batch);
    std::vector<drm_zaccel_arg> args;
    for (const sched::Arg &a : s.args) {
      const dev::Bo *bo = nullptr;
      switch (a.buf.kind) {
        case sched::BufKind::kTensor:
          bo = sweep.at(a.buf.batch)->acts.at(a.buf.index).get();
          break;
        case sched::BufKind::kSums:
          bo = sweep.at(a.buf.batch)->sums[a.buf.index & 1].get();
          break;
        case sched::BufKind::kWeights:
          bo = weights_.at(a.buf.index).get();
          break;
        case sched::BufKind::kBias:
          bo = biases_.at(a.buf.index).get();
          break;
      }
      if (!bo) fail(EINVAL, "the schedule names a buffer the session does not have");
      args.push_back({bo->handle(), a.flags, a.offset, a.size});
    }
    b.records.push_back({s.record, s.region, unit_name(plan_.layers.at(s.unit)), false});
    dev_.submit(s.region, s.slot, args, s.regs, handles(s.waits), fence(s.signal, sweep),
                {b.reports.get(), s.record});
  }
}

void Session::collect(Batch &b) {
  const uint32_t n = b.n;
  b.done->wait(dev::deadline_after_ms(kWaitMs));
  b.n = 0;
  b.reports->prep(DRM_ZACCEL_PREP_READ, dev::deadline_after_ms(kWaitMs));
  // The loads first, then the jobs chunk by chunk, IP by IP (the records' order).
  std::vector<const Record *> order;
  for (const Record &r : b.records)
    order.push_back(&r);
  std::stable_sort(order.begin(), order.end(), [](const Record *x, const Record *y) {
    return x->pr != y->pr ? x->pr : !x->pr && x->offset < y->offset;
  });
  drm_zaccel_report rec;
  for (const Record *r : order) {
    std::memcpy(&rec, b.reports->data() + r->offset, kRecord);
    account(rec, r->region, r->what, r->pr);
  }
  dev::Bo &output = *b.acts.back();
  output.prep(DRM_ZACCEL_PREP_READ, dev::deadline_after_ms(kWaitMs));
  const size_t out_size = q_.output.size();
  for (uint32_t first = 0; first < n; first += layout_.job_images()) {
    std::memcpy(b.out + first * out_size, output.data() + layout_.act_offset(out_size, first),
                std::min(layout_.job_images(), n - first) * out_size * 2);
  }
  stats_.images += n;
  ++stats_.batches;
  overlap_.end_batch();
}

RunStats Session::stats() const {
  RunStats s = stats_;
  s.pr_hidden_ns = overlap_.hidden_ns();
  return s;
}

void Session::keep(TraceSpan span) {
  overlap_.add(span);
  if (opts_.trace_spans == 0) return;
  if (spans_.size() == opts_.trace_spans) spans_.pop_front();
  spans_.push_back(std::move(span));
}

void Session::account(const drm_zaccel_report &rep, uint32_t region, const std::string &what,
                      bool pr) {
  if (rep.error && rep.error != ECANCELED) {
    fail(static_cast<int>(rep.error), what, " on region ", region, ": ",
         pr ? "reconfiguration" : "job", " failed: ", std::strerror(static_cast<int>(rep.error)));
  }
  if (rep.error) fail(ECANCELED, what, ": cancelled after an earlier failure");
  if (stats_.jobs == 0 && stats_.reconfigs == 0) stats_.first_ns = rep.start_ns;
  stats_.first_ns = std::min<uint64_t>(stats_.first_ns, rep.start_ns);
  stats_.last_ns = std::max<uint64_t>(stats_.last_ns, rep.end_ns);
  if (pr) {
    ++stats_.reconfigs;
    stats_.pr_ns += rep.end_ns - rep.start_ns;
    keep({SpanKind::kPr, region, what, rep.start_ns, rep.end_ns});
    return;
  }
  ++stats_.jobs;
  stats_.dma_ns += (rep.compute_start_ns - rep.start_ns) + (rep.end_ns - rep.compute_end_ns);
  stats_.compute_ns += rep.compute_end_ns - rep.compute_start_ns;
  keep({SpanKind::kDma, region, what + " in", rep.start_ns, rep.compute_start_ns});
  keep({SpanKind::kCompute, region, what, rep.compute_start_ns, rep.compute_end_ns});
  keep({SpanKind::kDma, region, what + " out", rep.compute_end_ns, rep.end_ns});
}

}  // namespace zaccel
