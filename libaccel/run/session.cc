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

bool streams(const LayerIp &ip) {
  return ip.id.weight_mode == DRM_ZACCEL_WEIGHTS_STREAMED ||
         ip.id.weight_mode == DRM_ZACCEL_WEIGHTS_BATCH_CACHED;
}

/// A write-combined BO holding `bytes` bytes from `data`.
std::unique_ptr<dev::Bo> bo_with(dev::Device &d, const void *data, size_t bytes) {
  auto bo = std::make_unique<dev::Bo>(d, std::max<size_t>(bytes, 8), DRM_ZACCEL_BO_WRITE_COMBINED);
  std::memcpy(bo->data(), data, bytes);
  return bo;
}

}  // namespace

std::string unit_name(const PlannedLayer &p) {
  if (p.layer->acc_in || p.layer->acc_out)
    return p.layer->name + "(in " + std::to_string(p.in_lo) + ":" + std::to_string(p.in_hi) + ")";
  if (!p.split) return p.layer->name;
  return p.layer->name + "[" + std::to_string(p.out_lo) + ":" + std::to_string(p.out_hi) + "]";
}

Session::Session(dev::Device &dev, const QModel &q, const Plan &plan, uint32_t max_batch,
                 const SessionOptions &opts)
    : dev_(dev),
      q_(q),
      plan_(plan),
      max_batch_(max_batch),
      job_images_(std::min(std::max(plan.batch, 1u), max_batch)),
      regions_(dev.num_regions()),
      swapped_(plan.mode == PlanMode::kSdci),
      opts_(opts),
      overlap_(dev.num_regions(), 0) {
  if (max_batch == 0) fail(EINVAL, "batch of zero images");
  std::vector<uint32_t> covered(q.layers.size());
  uint64_t sums_bytes = 0;
  unsigned part = 0;
  for (const PlannedLayer &p : plan.layers) {
    if (p.source >= q.layers.size() || q.layers[p.source].name != p.layer->name)
      fail(EINVAL, "the plan is not for this model");
    // A cascade's parts write partial sums in turn; its last writes the layer's output.
    part = p.layer->acc_in ? part + 1 : 0;
    sums_at_.push_back(part % 2);
    if (p.layer->acc_out) {
      sums_bytes = std::max<uint64_t>(sums_bytes, q.layers[p.source].out.size() * 8 * max_batch);
      continue;
    }
    covered[p.source] += p.out_hi - p.out_lo;
  }
  for (size_t i = 0; i < q.layers.size(); ++i) {
    if (covered[i] != (q.layers[i].kind == LayerKind::kConcat ? 0 : q.layers[i].out.c))
      fail(EINVAL, "the plan is not for this model");
  }
  place_tensors();
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
    holds_.assign(regions_, -1);
    last_region_ = regions_ - 1;
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
    const bool stream = streams(plan.layers[i].ip);
    weights_.push_back(stream ? bo_with(dev, l.weights.data(), l.weights.size() * 2) : nullptr);
    biases_.push_back(stream && !l.bias.empty() ? bo_with(dev, l.bias.data(), l.bias.size() * 8)
                                                : nullptr);
    if (i + 1 < plan.layers.size()) job_done_.push_back(std::make_unique<dev::Syncobj>(dev));
  }
  // Every batch in flight has its own buffers: they must fit the device's DMA pool (checked
  // before anything is allocated, as a sweep sets how many batches are in flight).
  const uint64_t sets = swapped_ ? 2ull * sweep_batches_ : 8;
  uint64_t set_bytes = act_offset(q.input.size(), max_batch) + 2 * sums_bytes +
                       pr_record(std::max<size_t>(regions_, plan.layers.size()));
  for (const QLayer &l : q.layers)
    set_bytes += act_offset(l.out.size(), max_batch);
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
  const uint32_t chunks = (max_batch + job_images_ - 1) / job_images_;
  for (Batch &b : batches_) {
    b.acts.push_back(std::make_unique<dev::Bo>(dev, act_offset(q.input.size(), max_batch), 0));
    for (const QLayer &l : q.layers)
      b.acts.push_back(std::make_unique<dev::Bo>(dev, act_offset(l.out.size(), max_batch), 0));
    b.reports = std::make_unique<dev::Bo>(
        dev, pr_record(std::max<size_t>(regions_, plan.layers.size())), 0);
    b.done = std::make_unique<dev::Syncobj>(dev);
    for (uint32_t c = 0; swapped_ && c < chunks; ++c)
      b.chunk_done.push_back(std::make_unique<dev::Syncobj>(dev));
    for (auto &sums : b.sums)
      if (sums_bytes) sums = std::make_unique<dev::Bo>(dev, sums_bytes, 0);
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
        submit_sweep(sweep);
      } else {
        for (Batch *b : sweep)
          submit(*b);
      }
    }
    for (unsigned k = 0; k < batches_.size(); ++k) {  // oldest first
      Batch &b = batches_[(next_ * sweep_batches_ + k) % batches_.size()];
      if (b.n) collect(b);
    }
  } catch (const Error &) {
    drain();
    loaded_ = false;  // reload everything on the next run
    std::fill(holds_.begin(), holds_.end(), -1);
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

void Session::place_tensors() {
  const size_t n = q_.layers.size();
  homes_.clear();
  for (uint32_t t = 0; t <= n; ++t)
    homes_.push_back({t, 0, 0});
  // A Concat's operands are written side by side into its buffer, each image's after the
  // other's; every argument offset must be 8-byte aligned.
  for (uint32_t c = 0; c < n; ++c) {
    const QLayer &cat = q_.layers[c];
    if (cat.kind != LayerKind::kConcat) continue;
    uint64_t offset = 0;
    for (uint32_t t : cat.src) {
      if (offset % 4) {
        fail(EOPNOTSUPP, "layer ", cat.name, ": its operand ", q_.layers[t - 1].name,
             " would start at value ", offset, " of an image, not 8-byte aligned");
      }
      homes_[t] = {c + 1, offset, cat.out.size()};
      offset += q_.tensor_dims(t).size();
    }
  }
  // reads_[l][k]: layer l waits for layer k's jobs, whose output (or a Concat of it) it reads.
  reads_.assign(n, std::vector<bool>(n, false));
  for (size_t l = 0; l < n; ++l) {
    const size_t inputs = q_.layers[l].kind == LayerKind::kAdd ? 2 : 1;
    for (size_t k = 0; k < inputs; ++k) {
      const uint32_t t = q_.source(l, k);
      if (t == 0) continue;
      if (q_.layers[t - 1].kind != LayerKind::kConcat) reads_[l][t - 1] = true;
      for (uint32_t o : q_.layers[t - 1].kind == LayerKind::kConcat ? q_.layers[t - 1].src
                                                                    : std::vector<uint32_t>{})
        reads_[l][o - 1] = true;
    }
  }
}

uint64_t Session::act_offset(uint64_t count, uint32_t first_img) const {
  const uint64_t job_bytes = (uint64_t{job_images_} * count * 2 + 7) / 8 * 8;
  return (first_img + job_images_ - 1) / job_images_ * job_bytes;
}

uint64_t Session::record(size_t layer, uint32_t first_img) const {
  return (first_img / job_images_ * plan_.layers.size() + layer) * kRecord;
}

uint64_t Session::pr_record(size_t k) const {
  const uint64_t jobs = (max_batch_ + job_images_ - 1) / job_images_ * plan_.layers.size();
  return (jobs + k) * kRecord;
}

void Session::load_regions(Batch &b) {
  for (uint32_t g = 0; g < partials_.size(); ++g) {
    b.loads.push_back({g, "IPs of region " + std::to_string(g)});
    std::vector<drm_zaccel_ip_id> expected;
    for (size_t i : plan_.groups[g])
      expected.push_back(plan_.layers[i].ip.id);
    dev_.reconfig(g, *partials_[g], 0, partials_[g]->size(), expected, {}, pr_done_[g]->handle(),
                  {b.reports.get(), pr_record(g)});
  }
}

void Session::stage(Batch &b, uint32_t n, const int16_t *in, int16_t *out) {
  dev::Bo &input = *b.acts[0];
  input.prep(DRM_ZACCEL_PREP_WRITE, dev::deadline_after_ms(kWaitMs));
  const size_t image = q_.input.size();
  for (uint32_t first = 0; first < n; first += job_images_) {
    std::memcpy(input.data() + act_offset(image, first), in + first * image,
                std::min(job_images_, n - first) * image * 2);
  }
  input.fini();
  b.n = n;
  b.out = out;
  b.loads.clear();
  b.regions.clear();
}

void Session::submit(Batch &b) {
  const bool loads = !loaded_;
  if (loads) load_regions(b);
  loaded_ = true;
  const uint32_t n = b.n;
  // Job after job, chunk by chunk: a layer's job waits for those of the layers whose outputs
  // it reads on the same chunk (every IP of each, if it is split); its slot runs its chunks in
  // order, so the slots form a pipeline. Every tensor has its own buffer in the batch, kept
  // until the batch is collected: after its last reader has run, as every layer's output leads
  // to the last layer's (model/chain.h). The IPs of a split layer write their channels side by side
  // (register 3, the output stride); the model's last IP also waits for the others of its layer, so
  // that its fence, the batch's, is the whole output's.
  const size_t units = plan_.layers.size();
  for (uint32_t first_img = 0; first_img < n; first_img += job_images_) {
    for (size_t i = 0; i < units; ++i) {
      const PlannedLayer &p = plan_.layers[i];
      const size_t s = p.source;
      std::vector<uint32_t> waits;
      if (loads && first_img == 0) waits.push_back(pr_done_[p.region]->handle());
      if (p.layer->acc_in) waits.push_back(job_done_[i - 1]->handle());  // its partial sums
      const bool last = i + 1 == units;
      for (size_t j = 0; j < units; ++j) {
        const size_t js = plan_.layers[j].source;
        if (reads_[s][js] || (last && j != i && js == s)) waits.push_back(job_done_[j]->handle());
      }
      submit_job(b, i, first_img, p.region, waits, (last ? b.done : job_done_[i])->handle());
    }
  }
}

void Session::submit_job(Batch &b, size_t i, uint32_t first_img, uint32_t region,
                         const std::vector<uint32_t> &waits, uint32_t done) {
  const PlannedLayer &p = plan_.layers[i];
  const QLayer &l = *p.layer;
  const size_t s = p.source;
  const uint32_t cnt = std::min(job_images_, b.n - first_img);
  const Home &in = homes_[q_.source(s)], &out = homes_[s + 1];
  const uint64_t in_size = q_.tensor_dims(q_.source(s)).size();
  const uint64_t whole = q_.layers[s].out.size(), plane = whole / q_.layers[s].out.c;
  // A part of a cascade, or a slice of a grouped conv, reads its input channels of each image
  // (register 4 strides over the rest); a part of a cascade passes its partial sums on, 64-bit
  // and packed. A tensor that is a Concat's operand lives in the Concat's buffer, strided
  // likewise.
  const bool part = p.in_hi - p.in_lo < q_.layers[s].in.c;
  const uint64_t in_plane = in_size / q_.layers[s].in.c;
  const uint64_t in_stride = in.stride ? in.stride : in_size;
  const uint64_t out_stride = out.stride ? out.stride : whole;
  std::vector<drm_zaccel_arg> args = {
      {b.acts[in.buffer]->handle(), DRM_ZACCEL_ARG_READ,
       act_offset(in_stride, first_img) + (in.offset + p.in_lo * in_plane) * 2,
       ((cnt - 1) * in_stride + uint64_t{p.in_hi - p.in_lo} * in_plane) * 2}};
  const drm_zaccel_arg sums = {0, 0, uint64_t{first_img} * whole * 8, uint64_t{cnt} * whole * 8};
  if (l.acc_out) {
    args.push_back(sums);
    args.back().handle = b.sums[sums_at_[i]]->handle();
    args.back().flags = DRM_ZACCEL_ARG_WRITE;
  } else {
    args.push_back({b.acts[out.buffer]->handle(), DRM_ZACCEL_ARG_WRITE,
                    act_offset(out_stride, first_img) + (out.offset + p.out_lo * plane) * 2,
                    ((cnt - 1) * out_stride + uint64_t{p.out_hi - p.out_lo} * plane) * 2});
  }
  if (l.acc_in) {
    args.push_back(sums);
    args.back().handle = b.sums[1 - sums_at_[i]]->handle();
    args.back().flags = DRM_ZACCEL_ARG_READ;
  }
  const Home &in2 = homes_[l.kind == LayerKind::kAdd ? q_.source(s, 1) : 0];
  const uint64_t in2_stride = in2.stride ? in2.stride : in_size;
  if (l.kind == LayerKind::kAdd) {  // its second operand
    args.push_back({b.acts[in2.buffer]->handle(), DRM_ZACCEL_ARG_READ,
                    act_offset(in2_stride, first_img) + in2.offset * 2,
                    ((cnt - 1) * in2_stride + in_size) * 2});
  }
  // A batch-cached IP loads its weights with the batch's first job and keeps them.
  const bool keep = first_img > 0 && p.ip.id.weight_mode == DRM_ZACCEL_WEIGHTS_BATCH_CACHED;
  if (weights_[i] && !keep) {
    args.push_back({weights_[i]->handle(), DRM_ZACCEL_ARG_READ, 0, l.weights.size() * 2});
    if (biases_[i])
      args.push_back({biases_[i]->handle(), DRM_ZACCEL_ARG_READ, 0, l.bias.size() * 8});
  }
  // DRM_ZACCEL_JOB_REG_*, those after the control bits passed only up to the last not zero.
  std::vector<uint32_t> regs = {cnt,
                                static_cast<uint32_t>(p.ip.shift),
                                keep ? uint32_t{DRM_ZACCEL_JOB_KEEP_WEIGHTS} : 0u,
                                p.split || out.stride ? static_cast<uint32_t>(out_stride) : 0u,
                                part || in.stride ? static_cast<uint32_t>(in_stride) : 0u,
                                p.ip.act_param,
                                static_cast<uint32_t>(p.ip.align),
                                static_cast<uint32_t>(in2.stride)};
  while (regs.size() > DRM_ZACCEL_JOB_REG_CONTROL + 1 && regs.back() == 0)
    regs.pop_back();
  dev_.submit(region, p.slot, args, regs, waits, done, {b.reports.get(), record(i, first_img)});
}

void Session::collect(Batch &b) {
  const uint32_t n = b.n;
  b.done->wait(dev::deadline_after_ms(kWaitMs));
  b.n = 0;
  b.reports->prep(DRM_ZACCEL_PREP_READ, dev::deadline_after_ms(kWaitMs));
  drm_zaccel_report rec;
  for (size_t k = 0; k < b.loads.size(); ++k) {
    std::memcpy(&rec, b.reports->data() + pr_record(k), kRecord);
    account(rec, b.loads[k].region, b.loads[k].what, true);
  }
  for (uint32_t first_img = 0; first_img < n; first_img += job_images_) {
    for (size_t i = 0; i < plan_.layers.size(); ++i) {
      const PlannedLayer &p = plan_.layers[i];
      std::memcpy(&rec, b.reports->data() + record(i, first_img), kRecord);
      account(rec, b.regions.empty() ? p.region : b.regions[i], unit_name(p), false);
    }
  }
  dev::Bo &output = *b.acts.back();
  output.prep(DRM_ZACCEL_PREP_READ, dev::deadline_after_ms(kWaitMs));
  const size_t out_size = q_.output.size();
  for (uint32_t first = 0; first < n; first += job_images_) {
    std::memcpy(b.out + first * out_size, output.data() + act_offset(out_size, first),
                std::min(job_images_, n - first) * out_size * 2);
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
