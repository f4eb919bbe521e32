// The device's worker: runs queued reconfigurations and jobs in dependency order (a region's
// work in submission order, after its in-syncs), models their time on the virtual clock,
// applies injected faults, and signals fences.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include "fabric/device.h"
#include "fabric/job_plan.h"
#include "ips/ip.h"
#include "util/error.h"

namespace zaccel::emu {
namespace {

/// How long the driver waits for a DMA transfer, and for an IP, before it resets the region.
constexpr Picos kDmaTimeout = 10 * kPicosPerSecond / 1000;
constexpr Picos kJobTimeout = 500 * kPicosPerSecond / 1000;
/// Bytes of a partial the PCAP reads before the header can be rejected.
constexpr uint64_t kHeaderBytes = 256;
/// A DMA transfer moves in bursts of at least this many bytes, and at most this many bursts.
constexpr uint64_t kBurstBytes = 16384;
constexpr uint64_t kMaxBursts = 256;

uint64_t ns(Picos p) {
  return p / 1000;
}

/// The fpga-mgr state a failed load ends in: header faults in write_init, the rest once the
/// configuration logic reports at the end of the write.
uint32_t error_state(bool header) {
  return header ? DRM_ZACCEL_STATE_WRITE_INIT_ERR : DRM_ZACCEL_STATE_WRITE_COMPLETE_ERR;
}

/// When `w` may start: after its in-syncs, after the work before it on its slot (a job) or on
/// the whole region (a reconfiguration), and not before the host could have submitted it.
Picos ready_time(const Work &w, const Region &r) {
  Picos t = std::max(w.not_before,
                     w.reconfig ? r.idle_at : std::max(r.slot_idle[w.slot], r.reconfig_end));
  for (const auto &f : w.waits)
    t = std::max(t, f->at);
  return t;
}

}  // namespace

Work *Device::next_ready() {
  // Of each region's first queued work, the one whose in-syncs have signalled and that can
  // start earliest on the virtual clock: the fabric's queues advance in time order, whatever
  // order the host submitted to different regions in.
  std::set<uint32_t> blocked;  // regions with earlier work still queued
  Work *best = nullptr;
  Picos best_at = 0;
  for (const auto &w : queue_) {
    if (!blocked.insert(w->region).second ||
        !std::all_of(w->waits.begin(), w->waits.end(), [](const auto &f) { return f->signaled; }))
      continue;
    const Picos at = ready_time(*w, regions_[w->region]);
    if (!best || at < best_at) {
      best = w.get();
      best_at = at;
    }
  }
  return best;
}

void Device::worker() {
  std::unique_lock l(lock_);
  for (;;) {
    Work *w = nullptr;
    changed_.wait(l, [&] { return stop_ || (w = next_ready()) != nullptr; });
    if (!w) break;
    const auto failed =
        std::find_if(w->waits.begin(), w->waits.end(), [](const auto &f) { return f->error != 0; });
    if (failed != w->waits.end()) {
      Picos at = 0;
      for (const auto &f : w->waits)
        at = std::max(at, f->at);
      finish(*w, ECANCELED, at, at, 0, 0, 0);
    } else if (w->reconfig) {
      execute_reconfig(*w, l);
    } else {
      execute_submit(*w, l);
    }
    queue_.remove_if([w](const auto &p) { return p.get() == w; });
    // No work queued or yet to come can start before the earliest of them was submitted.
    Picos horizon = host_now_;
    for (const auto &q : queue_)
      horizon = std::min(horizon, q->not_before);
    clock_.forget_before(horizon);
    changed_.notify_all();
  }
  // Closing the device cancels what can never run.
  while (!queue_.empty()) {
    finish(*queue_.front(), ECANCELED, 0, 0, 0, 0, 0);
    queue_.pop_front();
  }
  changed_.notify_all();
}

void Device::finish(Work &w, int error, Picos start, Picos end, Picos c0, Picos c1,
                    uint64_t bytes) {
  if (w.report.bo) {
    drm_zaccel_report rep{ns(start), ns(end), ns(c0), ns(c1), bytes, static_cast<uint32_t>(error),
                          0};
    std::memcpy(w.report.bo->ddr() + w.report.offset, &rep, sizeof(rep));
  }
  for (BoRange *r : {&w.report, &w.bitstream})
    if (r->bo) --r->bo->busy;
  for (BoRange &r : w.args)
    --r.bo->busy;
  w.done->error = error;
  w.done->at = end;
  w.done->signaled = true;
  if (error == ECANCELED) return;
  Region &r = regions_[w.region];
  r.idle_at = std::max(r.idle_at, end);
  if (w.reconfig) {
    r.reconfig_end = end;
    std::fill(r.slot_idle.begin(), r.slot_idle.end(), end);
  } else {
    r.slot_idle[w.slot] = std::max(r.slot_idle[w.slot], end);
  }
  r.bytes += bytes;
  if (error) {
    ++r.errors;
    r.last_error = static_cast<uint32_t>(error);
  } else {
    ++(w.reconfig ? r.reconfigs : r.jobs);
  }
}

void Device::execute_reconfig(Work &w, std::unique_lock<std::mutex> &) {
  Region &r = regions_[w.region];
  const Picos start = ready_time(w, r);
  // The decoupler isolates the region for the whole load; the old IP is gone from here on.
  r.decoupled = true;
  r.ip.reset();
  std::fill(r.kept.begin(), r.kept.end(), nullptr);
  r.state = DRM_ZACCEL_STATE_WRITE_INIT;
  std::vector<uint8_t> bits(w.bitstream.bo->ddr() + w.bitstream.offset,
                            w.bitstream.bo->ddr() + w.bitstream.offset + w.bitstream.size);
  if (r.fault == Fault::kPrCrc) {
    bits[bits.size() / 2] ^= 0x10;  // a bit flipped on its way through the PCAP
    r.fault = Fault::kNone;
  }
  int error = 0;
  bool header = true;
  uint64_t read = kHeaderBytes;
  try {
    check_partial_header(bits.data(), bits.size(), r.desc);
    header = false;
    r.state = DRM_ZACCEL_STATE_WRITE;
    read = bits.size();
    auto ip = std::make_shared<PartialContents>(parse_partial(bits.data(), bits.size(), r.desc));
    if (ip->ips.size() != w.expected.size()) {
      fail(EPROTO, "partial holds ", ip->ips.size(), " IPs, ", w.expected.size(), " expected");
    }
    for (size_t i = 0; i < w.expected.size(); ++i) {
      if (std::memcmp(&ip->ips[i].id, &w.expected[i], sizeof(w.expected[i])) != 0) {
        fail(EPROTO, "slot ", i, ": IP identity differs from the expected one");
      }
      check_embedded(ip->ips[i]);
    }
    r.ip = std::move(ip);
  } catch (const Error &e) {
    error = e.err();
  }
  const Span s = clock_.reserve(pcap_, start, transfer_time(read, board_.pcap_bytes_per_s),
                                SpanKind::kReconfig, r.desc.name);
  if (error) {
    r.state = error_state(header);
  } else {
    r.state = DRM_ZACCEL_STATE_OPERATING;
    r.decoupled = false;
  }
  finish(w, error, s.start, s.end, 0, 0, read);
}

void Device::execute_submit(Work &w, std::unique_lock<std::mutex> &l) {
  Region &r = regions_[w.region];
  const Picos start = ready_time(w, r);
  const std::shared_ptr<const PartialContents> loaded = r.ip;
  const IpImage *ip = loaded && w.slot < loaded->ips.size() ? &loaded->ips[w.slot] : nullptr;
  JobPlan plan;
  try {
    if (!ip) fail(ENODEV, "region ", w.region, " slot ", w.slot, " holds no working IP");
    plan = plan_job(*ip, w, r.kept[w.slot]);
  } catch (const Error &e) {
    finish(w, e.err(), start, start, 0, 0, 0);
    return;
  }
  const Fault fault = r.fault;
  if (fault == Fault::kDmaTimeout || fault == Fault::kIpHang) r.fault = Fault::kNone;
  const std::string &name = r.desc.name;
  if (fault == Fault::kDmaTimeout) {
    const Span s = clock_.reserve(r.hp_port, start, kDmaTimeout, SpanKind::kDma, name);
    finish(w, EIO, s.start, s.end, 0, 0, 0);
    return;
  }
  // A streaming IP: it starts computing once its first chunk of data is in, and its output
  // flows out as it computes; so DMA and compute overlap. A chunk is an image, or with
  // streamed weights one output channel's weights of an image (the IP computes that channel
  // while the next one's weights arrive).
  const uint64_t n = plan.job.images;
  const uint64_t chunks =
      n * (ip->id.weight_mode == DRM_ZACCEL_WEIGHTS_STREAMED ? std::max(ip->id.out_c, 1u) : 1);
  const Span in = transfer(r, start, plan.in_bytes, name);
  const Picos first_in = (in.end - in.start) / chunks;
  const Picos busy = fault == Fault::kIpHang
                         ? kJobTimeout
                         : cycle_time(ip_cycles(ip->id, plan.job.images), board_.pl_clock_hz);
  // Compute starts once the first chunk is in, and ends no sooner than the last chunk's data
  // plus that chunk's share of the compute.
  const Picos c_ready =
      std::max(in.start + first_in, in.end + busy / chunks - std::min(busy, in.end));
  const Span c = clock_.reserve(r.slot_clock[w.slot], c_ready, busy, SpanKind::kCompute, name);
  if (fault == Fault::kIpHang) {
    finish(w, ETIMEDOUT, in.start, c.end, c.start, c.end, plan.in_bytes);
    return;
  }
  const Picos out_time =
      transfer_time(plan.out_bytes,
                    std::min(board_.hp_port_bytes_per_s * r.desc.hp_ports, board_.ddr_bytes_per_s));
  // Output leaves from when the first image is done, and ends after the last one's.
  const Picos out_ready =
      std::max(c.start + busy / n, c.end + out_time / n - std::min(out_time, c.end));
  const Span out = transfer(r, out_ready, plan.out_bytes, name);
  // Compute without the lock: the BOs are held by the work, the IP by `loaded`.
  l.unlock();
  std::vector<int16_t> result(plan.out_count);
  plan.job.out = result.data();
  run_ip(ip->id, plan.job);
  l.lock();
  if (plan.loads_cache) r.kept[w.slot] = plan.weights;
  std::memcpy(w.args[1].bo->ddr() + w.args[1].offset, result.data(), result.size() * 2);
  finish(w, 0, in.start, std::max(out.end, c.end), c.start, c.end, plan.in_bytes + plan.out_bytes);
}

Span Device::transfer(Region &r, Picos ready, uint64_t bytes, const std::string &name) {
  // Through the region's HP ports, and its share of the DDR the regions have in common, in
  // bursts, so that other transfers interleave with a long one as the interconnect would let
  // them.
  const uint64_t piece = std::max(kBurstBytes, (bytes + kMaxBursts - 1) / kMaxBursts);
  const uint64_t hp_rate = board_.hp_port_bytes_per_s * r.desc.hp_ports;
  Span whole{r.hp_port, SpanKind::kDma, ready, ready, name};
  Picos t = ready;
  for (uint64_t done = 0; done < bytes || done == 0; done += piece) {
    const uint64_t n = std::min(piece, bytes - done);
    const Span hp = clock_.reserve(r.hp_port, t, transfer_time(n, hp_rate), SpanKind::kDma, name);
    const Span ddr = clock_.reserve(ddr_, hp.start, transfer_time(n, board_.ddr_bytes_per_s),
                                    SpanKind::kDma, name);
    if (done == 0) whole.start = hp.start;
    t = std::max(hp.end, ddr.end);
    if (bytes == 0) break;
  }
  whole.end = t;
  return whole;
}

}  // namespace zaccel::emu
